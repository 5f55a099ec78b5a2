import { z } from "zod";
import { outboundUrlField } from "@/lib/core/fields";
import { splitUrlTemplate } from "./template";

// What each kind of ability is configured with: checked by the skillset routes and the ability
// form, read again (with the stored credentials laid back in) when the ability runs.

export const headersField = z
  .record(z.string().regex(/^[A-Za-z0-9-]{1,100}$/, "must be a header name"), z.string().max(4000))
  .refine((h) => Object.keys(h).length <= 20, "at most 20 headers");

const urlTemplate = z
  .string()
  .trim()
  .max(2000)
  .superRefine((u, ctx) => {
    const split = splitUrlTemplate(u);
    if (!split.ok) ctx.addIssue({ code: "custom", message: split.error });
  });

export const httpRequestConfig = z.object({
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).default("GET"),
  url: urlTemplate,
  headers: headersField.optional(),
  body: z.string().max(20_000).optional(),
  timeoutMs: z.number().int().min(500).max(30_000).default(10_000),
});

export const webhookConfig = z.object({
  url: urlTemplate,
  secret: z.string().max(200).optional(),
  headers: headersField.optional(),
  timeoutMs: z.number().int().min(500).max(30_000).default(10_000),
});

/** An MCP server's tool names: what a model accepts as a tool name, after the ability's prefix. */
const mcpToolName = z.string().regex(/^[A-Za-z0-9_.\-/]{1,128}$/, "must be an MCP tool name");

/**
 * A remote MCP server (Streamable HTTP, or the older SSE transport): its URL, auth headers
 * (credentials: stored encrypted, never returned), which of its tools are offered (absent: all),
 * and per-tool effects that override what the server's annotations say.
 */
export const mcpConfig = z.object({
  url: outboundUrlField(": use headers"),
  headers: headersField.optional(),
  tools: z.array(mcpToolName).max(200, "at most 200 tools").nullish(),
  effects: z
    .record(mcpToolName, z.enum(["read", "write"], { error: 'must be "read" or "write"' }))
    .refine((e) => Object.keys(e).length <= 200, "at most 200 entries")
    .optional(),
  timeoutMs: z.number().int().min(1000).max(120_000).default(30_000),
});
export type McpConfig = z.infer<typeof mcpConfig>;
