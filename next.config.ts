import type { NextConfig } from "next";
import { ALL_SECURITY_HEADERS, API_SECURITY_HEADERS } from "./lib/http/security-headers";

const nextConfig: NextConfig = {
  // PGlite loads its WASM and data files from its package folder, argon2 is a
  // native addon and postgres.js opens sockets: keep them out of the bundle.
  // prom-client and pino hold per-process state and load optional modules at run time.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "@node-rs/argon2",
    "postgres",
    "prom-client",
    "pino",
    "pino-pretty",
  ],
  poweredByHeader: false,
  // No rewrites here: with any rewrite configured, Next.js matches it against every request to
  // every route (compiling the pattern each time), 4-5% of the event endpoint's CPU. The /v1 alias
  // of the API is a rewrite in proxy.ts instead, whose matcher only takes /v1 paths.
  async headers() {
    // Static and cheap (a pattern test per request); pages get the CSP, with its nonce, in proxy.ts.
    const list = (h: Record<string, string>) =>
      Object.entries(h).map(([key, value]) => ({ key, value }));
    return [
      { source: "/:path*", headers: list(ALL_SECURITY_HEADERS) },
      { source: "/:prefix(api|v1)/:path*", headers: list(API_SECURITY_HEADERS) },
    ];
  },
};

export default nextConfig;
