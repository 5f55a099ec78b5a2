import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { followRedirect, guardedFetch, REFUSED, safeFetch } from "./safe-fetch";

type Seen = { url: string; method: string; headers: http.IncomingHttpHeaders; body: string };

/** A loopback receiver that records what reaches it and answers per path. */
async function receiver(route: (url: URL, res: http.ServerResponse) => boolean) {
  const seen: Seen[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    seen.push({
      url: req.url ?? "",
      method: req.method ?? "",
      headers: req.headers,
      body: Buffer.concat(chunks).toString(),
    });
    if (!route(new URL(req.url ?? "/", "http://x"), res)) res.end("x".repeat(100));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return { seen, port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let a: Awaited<ReturnType<typeof receiver>>;
let b: Awaited<ReturnType<typeof receiver>>;
const redirect = (res: http.ServerResponse, status: number, location: string) => {
  res.writeHead(status, { location });
  res.end();
  return true;
};

beforeAll(async () => {
  b = await receiver(() => false);
  a = await receiver((url, res) => {
    const n = Number(url.searchParams.get("n") ?? 0);
    if (url.pathname === "/cross") return redirect(res, 302, `http://localhost:${b.port}/landing`);
    if (url.pathname === "/same") return redirect(res, 302, "/landing");
    if (url.pathname === "/post-cross") return redirect(res, 307, `http://localhost:${b.port}/p`);
    if (url.pathname === "/post-same") return redirect(res, 307, "/landing");
    if (url.pathname === "/to-loopback") return redirect(res, 302, `http://127.0.0.1:${b.port}/`);
    if (url.pathname === "/loop") return redirect(res, 302, `/loop?n=${n + 1}`);
    return false;
  });
});
afterAll(async () => {
  await a.close();
  await b.close();
});

const opts = (over: Partial<Parameters<typeof safeFetch>[1]> = {}) => ({
  method: "GET",
  timeoutMs: 2000,
  maxResponseBytes: 10,
  allowHosts: ["127.0.0.1", "localhost"],
  ...over,
});
const credentials = {
  authorization: "Bearer user-api-key",
  cookie: "session=abc",
  "x-signature-256": "sha256=deadbeef",
  "X-Api-Key": "configured-secret",
  "user-agent": "trigger-dashboard/1.0",
  "idempotency-key": "event_1-0",
};

describe("safeFetch", () => {
  it("refuses loopback by literal address and after DNS resolution, without naming the address", async () => {
    for (const url of [
      `http://127.0.0.1:${a.port}/`,
      `http://localhost:${a.port}/`,
      `http://[::1]:${a.port}/`,
    ]) {
      const error = await safeFetch(url, opts({ allowHosts: [] })).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toBe(REFUSED);
      expect((error as Error).message).not.toMatch(/127\.0\.0\.1|::1/);
    }
  });

  it("allows allow-listed hosts, truncates the response, and re-checks each redirect's address", async () => {
    const res = await safeFetch(`http://127.0.0.1:${a.port}/`, opts());
    expect(res).toMatchObject({ status: 200, body: "x".repeat(10), truncated: true });
    // localhost is allowed, but the redirect target 127.0.0.1 is not
    await expect(
      safeFetch(`http://localhost:${a.port}/to-loopback`, opts({ allowHosts: ["localhost"] })),
    ).rejects.toThrow(REFUSED);
  });

  it("drops Authorization, Cookie, the signature and every configured header on a redirect to another origin", async () => {
    const before = b.seen.length;
    await safeFetch(
      `http://127.0.0.1:${a.port}/cross`,
      opts({ headers: credentials, privateHeaders: ["X-Api-Key"] }),
    );
    const landed = b.seen.slice(before);
    expect(landed).toHaveLength(1);
    const h = landed[0].headers;
    for (const name of ["authorization", "cookie", "x-signature-256", "x-api-key"])
      expect(h[name]).toBeUndefined();
    expect(h["user-agent"]).toBe("trigger-dashboard/1.0");
    expect(h["idempotency-key"]).toBe("event_1-0");
  });

  it("keeps the headers on a redirect within the same origin", async () => {
    const before = a.seen.length;
    await safeFetch(
      `http://127.0.0.1:${a.port}/same`,
      opts({ headers: credentials, privateHeaders: ["X-Api-Key"] }),
    );
    const landing = a.seen.slice(before).find((s) => s.url === "/landing")!;
    expect(landing.headers.authorization).toBe("Bearer user-api-key");
    expect(landing.headers["x-api-key"]).toBe("configured-secret");
  });

  it("re-sends a body only to the same origin", async () => {
    const post = opts({
      method: "POST",
      body: '{"secret":"payload"}',
      headers: { "content-type": "application/json" },
    });
    const before = b.seen.length;
    await expect(safeFetch(`http://127.0.0.1:${a.port}/post-cross`, post)).rejects.toThrow(
      "Refused to re-send the request body to another origin",
    );
    expect(b.seen.length).toBe(before);
    const sameBefore = a.seen.length;
    await safeFetch(`http://127.0.0.1:${a.port}/post-same`, post);
    const landing = a.seen.slice(sameBefore).find((s) => s.url === "/landing")!;
    expect(landing).toMatchObject({ method: "POST", body: '{"secret":"payload"}' });
  });

  it("follows at most 5 redirects", async () => {
    const before = a.seen.length;
    await expect(safeFetch(`http://127.0.0.1:${a.port}/loop`, opts())).rejects.toThrow(
      "Too many redirects",
    );
    expect(a.seen.length - before).toBe(6); // the request and five redirects
  });

  it("never follows https to http, and a 303 becomes a GET without body", () => {
    const from = {
      target: { origin: new URL("https://api.example.com"), path: "/a" },
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json", authorization: "Bearer x" },
    };
    expect(() => followRedirect(from, 302, "http://api.example.com/b")).toThrow("insecure");
    expect(() => followRedirect(from, 302, "file:///etc/passwd")).toThrow();
    const next = followRedirect(from, 303, "/done");
    expect(next).toMatchObject({
      method: "GET",
      body: undefined,
      headers: { authorization: "Bearer x" },
    });
    expect(next.headers["content-type"]).toBeUndefined();
  });
});

describe("guardedFetch (the MCP client's fetch)", () => {
  const guarded = (allowHosts: string[], maxResponseBytes = 1000) =>
    guardedFetch({ allowHosts, maxResponseBytes, idleTimeoutMs: 2000 });

  it("refuses a private address unless allow-listed, before anything is sent", async () => {
    const before = a.seen.length;
    await expect(guarded([])(`http://127.0.0.1:${a.port}/x`)).rejects.toThrow(REFUSED);
    await expect(guarded([])(`http://localhost:${a.port}/x`)).rejects.toThrow(REFUSED);
    expect(a.seen.length).toBe(before);
    const ok = await guarded(["127.0.0.1"])(`http://127.0.0.1:${a.port}/x`, {
      method: "POST",
      headers: { authorization: "Bearer k" },
      body: "{}",
    });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("x".repeat(100));
    expect(a.seen.at(-1)).toMatchObject({ method: "POST", body: "{}" });
    expect(a.seen.at(-1)!.headers.authorization).toBe("Bearer k");
  });

  it("returns a redirect as it is (the caller's policy decides), never following it", async () => {
    const before = b.seen.length;
    const res = await guarded(["127.0.0.1", "localhost"])(`http://127.0.0.1:${a.port}/cross`, {
      headers: { authorization: "Bearer k" },
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toContain(`localhost:${b.port}`);
    expect(b.seen.length).toBe(before);
  });

  it("fails a response larger than its cap while it streams", async () => {
    const res = await guarded(["127.0.0.1"], 50)(`http://127.0.0.1:${a.port}/x`);
    await expect(res.text()).rejects.toThrow(/larger than 50 bytes/);
  });
});
