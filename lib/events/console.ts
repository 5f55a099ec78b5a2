import "server-only";
import { and, desc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { triggerEvents, type Trigger } from "@/db/schema";
import { errorResponse, toApiError } from "@/lib/api/errors";
import { decryptSecret } from "@/lib/crypto/secrets";
import { getTriggerOrThrow } from "@/lib/triggers/service";
import { eventUrlFor } from "@/lib/triggers/serialize";
import { compileFilter, runFilter } from "./filter";
import { ingestEvent } from "./ingest";
import { sessionLabel } from "./session-key";
import { signDelivery } from "./sign";

const PREVIEW_EVENTS = 20;

/** The query a stored event arrived with, as far as it is kept (its session and contact). */
function queryOf(e: { sessionKey: string | null; contact: Record<string, string> | null }) {
  const q: Record<string, string> = {};
  if (e.sessionKey?.startsWith("session:")) q.session = sessionLabel(e.sessionKey)!;
  for (const [k, v] of Object.entries(e.contact ?? {})) if (v) q[`contact.${k}`] = v;
  return q;
}

/** How a filter would decide on the trigger's last 20 events: "matches 7 of 20" as you type. */
export async function previewFilter({
  ownerId,
  id,
  filter,
}: {
  ownerId: string;
  id: string;
  filter: string;
}) {
  await getTriggerOrThrow({ ownerId, id });
  const compiled = compileFilter(filter);
  if (!compiled.ok) return { valid: false as const, problem: compiled.problem };
  const db = await getDb();
  const rows = await db
    .select()
    .from(triggerEvents)
    .where(and(eq(triggerEvents.triggerId, id), eq(triggerEvents.kind, "event")))
    .orderBy(desc(triggerEvents.id))
    .limit(PREVIEW_EVENTS);
  const events = [];
  for (const e of rows)
    events.push({
      id: e.id,
      ...(await runFilter(
        filter,
        {
          payload: e.payload,
          headers: e.headers ?? {},
          query: queryOf(
            e as { sessionKey: string | null; contact: Record<string, string> | null },
          ),
          contact: e.contact ?? {},
        },
        id,
      )),
    });
  return {
    valid: true as const,
    matched: events.filter((e) => e.matched).length,
    total: events.length,
    events,
  };
}

/** Headers whose values are made with a secret: shown as placeholders, never as values. */
const SIGNED =
  /^(authorization|stripe-signature|x-hub-signature-256|x-slack-signature|x-shopify-hmac-sha256|webhook-signature)$/;

const shellQuote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/**
 * "Send test event": the payload signed as the trigger's sender would sign it
 * (with the stored secret), delivered through the event endpoint's own code,
 * and its answer. What would go wrong for the real sender goes wrong here.
 * It is not a signing oracle: the signature is made for this test event only,
 * which it stores, and never returned; the answer says whether verification
 * passed and gives a curl with a placeholder where the signature goes.
 */
export async function sendTestEvent({
  ownerId,
  id,
  body,
  contentType,
  query,
  baseUrl,
}: {
  ownerId: string;
  id: string;
  body: string;
  contentType: string;
  query?: string;
  baseUrl: string;
}) {
  const trigger: Trigger = await getTriggerOrThrow({ ownerId, id });
  const secret = decryptSecret(trigger.verificationSecretEnc ?? trigger.secretEnc);
  const signed = trigger.authenticate ? signDelivery(trigger.verification, secret, body) : {};
  const headers: Record<string, string> = {
    "content-type": contentType,
    "user-agent": "trigger-dashboard test console",
    ...signed,
  };
  const url = new URL(`${eventUrlFor(baseUrl, id)}${query ? `?${query.replace(/^\?/, "")}` : ""}`);
  const req = new Request(url, { method: "POST", headers, body });
  let res: Response;
  try {
    res = await ingestEvent({ triggerId: id, req, url });
  } catch (error) {
    res = errorResponse(toApiError(error));
  }
  const text = await res.text();
  let answer: unknown = text;
  try {
    answer = JSON.parse(text);
  } catch {
    // a handshake answers plain text
  }
  const secretHeaders = new Set(
    Object.keys(signed).filter(
      (name) =>
        SIGNED.test(name.toLowerCase()) ||
        name.toLowerCase() === trigger.verification.header?.toLowerCase(),
    ),
  );
  const shown = Object.fromEntries(Object.entries(headers).filter(([k]) => !secretHeaders.has(k)));
  const placeholder = (name: string) =>
    name === "authorization" ? "Bearer <trigger secret>" : "<signature made with the secret>";
  const curl = [
    `curl -X POST ${shellQuote(url.toString())}`,
    ...Object.entries(headers).map(
      ([k, v]) => `-H ${shellQuote(`${k}: ${secretHeaders.has(k) ? placeholder(k) : v}`)}`,
    ),
    `--data-binary ${shellQuote(body)}`,
  ].join(" \\\n  ");
  return {
    request: { url: url.toString(), headers: shown },
    verification: !trigger.authenticate
      ? "not checked: this trigger accepts events without a signature"
      : res.status === 401
        ? `signed with the stored secret: refused (${(answer as { message?: string })?.message ?? "unauthorized"})`
        : "signed with the stored secret: verified",
    curl,
    response: { status: res.status, body: answer },
  };
}
