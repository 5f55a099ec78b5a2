import "server-only";
import { createHmac } from "node:crypto";
import type { Ability } from "@/db/schema";
import { env } from "@/lib/env";
import { httpRequestConfig, webhookConfig } from "@/lib/skillsets/schema";
import { safeFetch } from "./safe-fetch";
import { jsonStringContent, renderTemplate } from "./template";

export const MAX_RESPONSE_BYTES = 16 * 1024;

export type AbilityScope = { input: Record<string, unknown>; event: Record<string, unknown> };

/** Runs one ability; returns what the model (and the activity log) sees. Throws on failure. */
export async function runAbility(ability: Pick<Ability, "kind" | "config">, scope: AbilityScope) {
  const allowHosts = env().ABILITY_HTTP_ALLOW_HOSTS;
  if (ability.kind === "http_request") {
    const config = httpRequestConfig.parse(ability.config);
    const url = renderTemplate(config.url, scope, encodeURIComponent);
    const isJson = /json/i.test(
      config.headers?.["Content-Type"] ?? config.headers?.["content-type"] ?? "application/json",
    );
    const body =
      config.body === undefined
        ? undefined
        : renderTemplate(config.body, scope, isJson ? jsonStringContent : (v) => v);
    const headers: Record<string, string> = { "user-agent": "trigger-dashboard/1.0" };
    for (const [k, v] of Object.entries(config.headers ?? {}))
      headers[k] = renderTemplate(v, scope);
    if (body !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === "content-type"))
      headers["content-type"] = "application/json";
    const res = await safeFetch(url, {
      method: config.method,
      headers,
      body,
      timeoutMs: config.timeoutMs,
      maxResponseBytes: MAX_RESPONSE_BYTES,
      allowHosts,
    });
    return { status: res.status, body: res.body, truncated: res.truncated };
  }
  const config = webhookConfig.parse(ability.config);
  const body = JSON.stringify({
    input: scope.input,
    event: scope.event,
    sentAt: new Date().toISOString(),
  });
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "trigger-dashboard/1.0",
    ...config.headers,
  };
  if (config.secret)
    headers["x-signature-256"] =
      `sha256=${createHmac("sha256", config.secret).update(body).digest("hex")}`;
  const res = await safeFetch(config.url, {
    method: "POST",
    headers,
    body,
    timeoutMs: config.timeoutMs,
    maxResponseBytes: MAX_RESPONSE_BYTES,
    allowHosts,
  });
  return { status: res.status, body: res.body, truncated: res.truncated };
}
