import type { NextConfig } from "next";
import { API_SECURITY_HEADERS } from "./lib/api/security-headers";

const nextConfig: NextConfig = {
  // PGlite loads its WASM and data files from its package folder, argon2 is a
  // native addon and postgres.js opens sockets: keep them out of the bundle.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "postgres"],
  poweredByHeader: false,
  async rewrites() {
    // Event URLs look like ChatBotKit's: /v1/integration/trigger/{id}/event
    return [{ source: "/v1/:path*", destination: "/api/v1/:path*" }];
  },
  async headers() {
    // Static and cheap (one pattern test per request); pages get theirs, with the CSP nonce, in proxy.ts.
    const headers = Object.entries(API_SECURITY_HEADERS).map(([key, value]) => ({ key, value }));
    return [{ source: "/:prefix(api|v1)/:path*", headers }];
  },
};

export default nextConfig;
