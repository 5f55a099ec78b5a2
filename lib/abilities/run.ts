import "server-only";
import { createHmac } from "node:crypto";
import type { Ability } from "@/db/schema";
import { env } from "@/lib/core/env";
import { runtimeConfig } from "./credentials";
import { httpRequestConfig, webhookConfig } from "./config";
import { safeFetch } from "./safe-fetch";
import { jsonStringContent, renderTemplate, renderUrl } from "./template";
import { now } from "@/lib/core/clock";

export const MAX_RESPONSE_BYTES = 16 * 1024;
const USER_AGENT = "trigger-dashboard/1.0";

export type AbilityScope = { input: Record<string, unknown>; event: Record<string, unknown> };

export type AbilityCall = {
  /** Sent as Idempotency-Key, so a receiver can drop the repeat of an at-least-once call. */
  idempotencyKey: string;
  /** Aborted when the run loses its claim, is cancelled or runs out of time. */
  signal?: AbortSignal;
};

/** Runs one ability; returns what the model (and the activity log) sees. Throws on failure. */
export async function runAbility(
  ability: Pick<Ability, "kind" | "config" | "secretsEnc">,
  scope: AbilityScope,
  call: AbilityCall,
) {
  const allowHosts = env().ABILITY_HTTP_ALLOW_HOSTS;
  const stored = runtimeConfig(ability);
  const base = { "user-agent": USER_AGENT, "idempotency-key": call.idempotencyKey };
  const limits = { maxResponseBytes: MAX_RESPONSE_BYTES, allowHosts, signal: call.signal };
  if (ability.kind === "http_request") {
    const config = httpRequestConfig.parse(stored);
    const configured = config.headers ?? {};
    const isJson = /json/i.test(
      Object.entries(configured).find(([k]) => k.toLowerCase() === "content-type")?.[1] ??
        "application/json",
    );
    const body =
      config.body === undefined
        ? undefined
        : renderTemplate(config.body, scope, isJson ? jsonStringContent : (v) => v);
    const headers: Record<string, string> = { ...base };
    for (const [k, v] of Object.entries(configured)) headers[k] = renderTemplate(v, scope);
    if (body !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === "content-type"))
      headers["content-type"] = "application/json";
    const res = await safeFetch(renderUrl(config.url, scope), {
      method: config.method,
      headers,
      privateHeaders: Object.keys(configured),
      body,
      timeoutMs: config.timeoutMs,
      ...limits,
    });
    return { status: res.status, body: res.body, truncated: res.truncated };
  }
  const config = webhookConfig.parse(stored);
  const body = JSON.stringify({
    input: scope.input,
    event: scope.event,
    sentAt: now().toISOString(),
  });
  const headers: Record<string, string> = {
    "content-type": "application/json",
    ...base,
    ...config.headers,
  };
  if (config.secret)
    headers["x-signature-256"] =
      `sha256=${createHmac("sha256", config.secret).update(body).digest("hex")}`;
  const res = await safeFetch(config.url, {
    method: "POST",
    headers,
    privateHeaders: Object.keys(config.headers ?? {}),
    body,
    timeoutMs: config.timeoutMs,
    ...limits,
  });
  return { status: res.status, body: res.body, truncated: res.truncated };
}
