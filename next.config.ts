import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite loads its WASM and data files from its package folder, argon2 is a
  // native addon and postgres.js opens sockets: keep them out of the bundle.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "postgres"],
  poweredByHeader: false,
  async rewrites() {
    // Event URLs look like ChatBotKit's: /v1/integration/trigger/{id}/event
    return [{ source: "/v1/:path*", destination: "/api/v1/:path*" }];
  },
};

export default nextConfig;
