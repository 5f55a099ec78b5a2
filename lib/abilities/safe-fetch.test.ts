import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isBlockedAddress, safeFetch } from "./safe-fetch";

let server: http.Server;
let port = 0;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === "/redirect") {
      res.writeHead(302, { location: `http://127.0.0.1:${port}/ok` });
      return res.end();
    }
    res.end("x".repeat(100));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("safeFetch", () => {
  const base = { method: "GET", timeoutMs: 2000, maxResponseBytes: 10 };

  it("classifies private, loopback, link-local and metadata addresses", () => {
    for (const a of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "::1",
      "fd00::1",
      "fe80::1",
      "::ffff:127.0.0.1",
      "0.0.0.0",
    ]) {
      expect(isBlockedAddress(a), a).toBe(true);
    }
    for (const a of ["93.184.216.34", "8.8.8.8", "2606:4700::1111"])
      expect(isBlockedAddress(a), a).toBe(false);
  });

  it("refuses loopback by literal address and after DNS resolution", async () => {
    await expect(
      safeFetch(`http://127.0.0.1:${port}/`, { ...base, allowHosts: [] }),
    ).rejects.toThrow("private or loopback");
    await expect(
      safeFetch(`http://localhost:${port}/`, { ...base, allowHosts: [] }),
    ).rejects.toThrow("private or loopback");
  });

  it("allows allow-listed hosts, truncates the response, and re-checks redirects", async () => {
    const res = await safeFetch(`http://127.0.0.1:${port}/`, {
      ...base,
      allowHosts: ["127.0.0.1"],
    });
    expect(res).toMatchObject({ status: 200, body: "x".repeat(10), truncated: true });
    // localhost is allowed, but the redirect target 127.0.0.1 is not
    await expect(
      safeFetch(`http://localhost:${port}/redirect`, { ...base, allowHosts: ["localhost"] }),
    ).rejects.toThrow("private or loopback");
  });
});
