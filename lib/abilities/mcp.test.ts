import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setEnv } from "@/test/env";
import { mcpConfig } from "./config";
import { discoverTools } from "./mcp";

// An MCP server that steers the client onto the older SSE transport (404 to the Streamable HTTP
// POST) and then never finishes connecting: the client must give up within its timeout and
// leave nothing behind (an EventSource left open reconnects for ever, at the server's `retry:`).
type Mode = "comments" | "retry-0";
let mode: Mode = "comments";
const gets: number[] = [];
const open = new Set<ServerResponse>();

function handle(req: IncomingMessage, res: ServerResponse) {
  if (req.method !== "GET") return res.writeHead(404).end();
  gets.push(Date.now());
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  if (mode === "retry-0") return res.end("retry: 0\n\n");
  open.add(res);
  res.on("close", () => open.delete(res));
  res.write(": keep-alive\n\n");
  const beat = setInterval(() => res.write(": keep-alive\n\n"), 200);
  res.on("close", () => clearInterval(beat));
}

const server = createServer(handle);
let url = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
  setEnv({ ABILITY_HTTP_ALLOW_HOSTS: "127.0.0.1" });
});
afterAll(async () => {
  setEnv({ ABILITY_HTTP_ALLOW_HOSTS: undefined });
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("an MCP server that never finishes connecting over SSE", () => {
  it("sending only keep-alive comments: discovery fails within its timeout and the stream is closed", async () => {
    mode = "comments";
    gets.length = 0;
    const started = Date.now();
    await expect(discoverTools(mcpConfig.parse({ url, timeoutMs: 1000 }))).rejects.toThrow();
    // bounded by the timeout (the SDK alone waited for ever here), with room for a busy machine
    expect(Date.now() - started).toBeLessThan(10_000);
    await settle(300);
    expect(open.size).toBe(0);
    expect(gets).toHaveLength(1);
  });

  it("closing each stream with `retry: 0`: discovery fails and nothing reconnects afterwards", async () => {
    mode = "retry-0";
    gets.length = 0;
    await expect(discoverTools(mcpConfig.parse({ url, timeoutMs: 1000 }))).rejects.toThrow();
    const after = gets.length;
    await settle(1500);
    expect(gets.length).toBe(after);
  });
});
