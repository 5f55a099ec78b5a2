import "server-only";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { Ability, McpTool } from "@/db/schema";
import { storableJson, storableText } from "@/lib/core/body";
import { env } from "@/lib/core/env";
import { mcpConfig, type McpConfig } from "./config";
import { runtimeConfig } from "./credentials";
import { inputSchemaIssues, linearJsonSchemaValidator } from "./input-schema";
import { MAX_RESPONSE_BYTES } from "./run";
import { guardedFetch } from "./safe-fetch";

// MCP servers as abilities, through the official SDK's client (never a hand-written protocol).
// Streamable HTTP first, the older HTTP+SSE transport when the server does not speak it. Every
// request goes through guardedFetch: private addresses refused at the connected address unless
// allow-listed, redirects only within the origin (the SDK's own policy: credentials never reach
// another origin), a response cap, an idle timeout. A run opens at most one session per server,
// lazily, and closes it when the run ends.

/** Tools kept from one server; its `tools/list` pages beyond this are not read. */
export const MAX_MCP_TOOLS = 200;
/** One message from the server (a `tools/list` page, a tool's result) may be this large. */
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
const MAX_DESCRIPTION = 2000;
const CLIENT_INFO = { name: "trigger-dashboard", version: "1.0.0" };

type McpAbility = Pick<Ability, "id" | "config" | "secretsEnc">;

/** Why a connection or call failed, in words for the owner and the model. */
export function mcpProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^Streamable HTTP error: /, "").slice(0, 500);
}

/** A connected client and the way to end it (the session, then its connections). */
type Session = { client: Client; close: () => Promise<void> };

async function connect(config: McpConfig, signal?: AbortSignal): Promise<Session> {
  const fetch = guardedFetch({
    allowHosts: env().ABILITY_HTTP_ALLOW_HOSTS,
    maxResponseBytes: MAX_MESSAGE_BYTES,
    idleTimeoutMs: config.timeoutMs,
  });
  const url = new URL(config.url);
  const requestInit: RequestInit = { headers: config.headers ?? {} };
  const attempt = async (transport: Transport) => {
    const client = new Client(CLIENT_INFO, { jsonSchemaValidator: linearJsonSchemaValidator });
    try {
      // the SDK bounds only `initialize`: an SSE transport's start() waits for the server's
      // `endpoint` event with no deadline, and keep-alive comments keep the idle timeout away
      await bounded(
        client.connect(transport, { signal, timeout: config.timeoutMs }),
        config.timeoutMs,
        signal,
      );
      return client;
    } catch (error) {
      // closed, or its EventSource would reconnect for ever (at whatever `retry:` the server says)
      await transport.close().catch(() => undefined);
      throw error;
    }
  };
  const session = (client: Client): Session => ({
    client,
    close: async () => {
      await client.close().catch(() => undefined);
      fetch.close();
    },
  });
  try {
    return session(await attempt(new StreamableHTTPClientTransport(url, { fetch, requestInit })));
  } catch (error) {
    // a server of the 2024-11-05 protocol answers the Streamable HTTP POST with 4xx: try SSE
    const code = error instanceof StreamableHTTPError ? error.code : undefined;
    if (signal?.aborted || !code || code < 400 || code >= 500 || code === 401 || code === 403) {
      fetch.close();
      throw error;
    }
    try {
      return session(await attempt(new SSEClientTransport(url, { fetch, requestInit })));
    } catch (fallbackError) {
      fetch.close();
      throw fallbackError;
    }
  }
}

/** `work`, or a rejection once `signal` aborts or `ms` pass, whichever comes first. */
async function bounded<T>(work: Promise<T>, ms: number, signal?: AbortSignal): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const cut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`The MCP server did not finish connecting within ${ms} ms`)),
      ms,
    );
    onAbort = () => reject(signal?.reason ?? new Error("The connection was aborted"));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([work, cut]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * The server's tools (`tools/list`, every page up to MAX_MCP_TOOLS), as stored on the ability.
 * A tool whose input schema this server cannot check is kept with its `problem` and never offered.
 */
export async function discoverTools(config: McpConfig): Promise<McpTool[]> {
  const signal = AbortSignal.timeout(config.timeoutMs);
  const { client, close } = await connect(config, signal);
  try {
    const tools: McpTool[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : undefined, {
        signal,
        timeout: config.timeoutMs,
      });
      for (const t of page.tools) {
        if (tools.length >= MAX_MCP_TOOLS) break;
        // a server's words are kept as text the database can store (a NUL, half an emoji)
        const schema = { ...(storableJson(t.inputSchema) as Record<string, unknown>) };
        delete schema.$schema; // a draft this engine does not name; the keywords are checked
        const issues = inputSchemaIssues(schema, "inputSchema", 64);
        // a name that cannot be stored as sent could not be called back by it: shown, not offered
        const name = storableText(t.name);
        if (name !== t.name)
          issues.unshift({ path: "name", message: "holds characters that cannot be stored" });
        tools.push({
          name,
          description: t.description ? storableText(t.description, MAX_DESCRIPTION) : null,
          inputSchema: schema,
          annotations: t.annotations
            ? {
                ...(typeof t.annotations.title === "string" && {
                  title: storableText(t.annotations.title, MAX_DESCRIPTION),
                }),
                ...(typeof t.annotations.readOnlyHint === "boolean" && {
                  readOnlyHint: t.annotations.readOnlyHint,
                }),
                ...(typeof t.annotations.destructiveHint === "boolean" && {
                  destructiveHint: t.annotations.destructiveHint,
                }),
              }
            : null,
          ...(issues.length && { problem: `${issues[0].path}: ${issues[0].message}` }),
        });
      }
      cursor = tools.length < MAX_MCP_TOOLS ? page.nextCursor : undefined;
    } while (cursor);
    return tools;
  } finally {
    await close();
  }
}

/** What a tool's result gives the model: its structured content, else its text; errors throw. */
function toOutput(answer: Record<string, unknown>): unknown {
  // a server of the 2024-10-07 protocol answers { toolResult }
  const result = (
    "toolResult" in answer
      ? { content: [{ type: "text", text: JSON.stringify(answer.toolResult) }] }
      : answer
  ) as {
    content?: unknown;
    structuredContent?: unknown;
    isError?: unknown;
  };
  const parts = Array.isArray(result.content) ? (result.content as Record<string, unknown>[]) : [];
  const text = parts
    .map((p) =>
      p.type === "text"
        ? String(p.text ?? "")
        : p.type === "resource" && p.resource && typeof p.resource === "object"
          ? String(
              (p.resource as { text?: unknown }).text ??
                `[resource ${(p.resource as { uri?: unknown }).uri}]`,
            )
          : `[${String(p.type)}${p.mimeType ? ` ${String(p.mimeType)}` : ""}]`,
    )
    .join("\n");
  if (result.isError) throw new Error(text.slice(0, 2000) || "The tool reported an error");
  if (result.structuredContent !== undefined) {
    const json = JSON.stringify(result.structuredContent);
    if (json.length <= MAX_RESPONSE_BYTES) return result.structuredContent;
    return { content: json.slice(0, MAX_RESPONSE_BYTES), truncated: true };
  }
  return text.length > MAX_RESPONSE_BYTES
    ? { content: text.slice(0, MAX_RESPONSE_BYTES), truncated: true }
    : { content: text };
}

/**
 * The MCP sessions of one run: opened on a server's first call, reused for the run's other calls
 * to it, closed by `close()` when the run ends however it ends.
 */
export class McpSessions {
  private readonly sessions = new Map<string, Promise<Session>>();

  /** Calls `tool` on the ability's server; `key` goes along as `_meta.idempotencyKey`. */
  async call(
    ability: McpAbility,
    tool: string,
    args: Record<string, unknown>,
    { signal, key }: { signal: AbortSignal; key: string },
  ): Promise<unknown> {
    const config = mcpConfig.parse(runtimeConfig(ability));
    let session = this.sessions.get(ability.id);
    if (!session) {
      session = connect(config, signal);
      this.sessions.set(ability.id, session);
      session.catch(() => this.sessions.delete(ability.id));
    }
    const { client } = await session;
    const result = await client.callTool(
      { name: tool, arguments: args, _meta: { idempotencyKey: key } },
      undefined,
      {
        signal,
        timeout: config.timeoutMs,
        maxTotalTimeout: config.timeoutMs,
      },
    );
    return toOutput(result);
  }

  async close(): Promise<void> {
    const open = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.allSettled(open.map(async (s) => (await s).close()));
  }
}
