import "server-only";
import { createHmac } from "node:crypto";
import type { Trigger } from "@/db/schema";
import { isStorableJson, isStorableText, readBodyLimited, MiB } from "@/lib/api/body";
import { ApiError, hasCode, notFound, toApiError, withDeadline } from "@/lib/api/errors";
import { now } from "@/lib/clock";
import { decryptSecret, safeEqual } from "@/lib/crypto/secrets";
import { env } from "@/lib/env";
import { looksLikeId, newId } from "@/lib/ids";
import { queueEvent, type QueueEventInput } from "./queue";
import { release, requestFingerprint, reserve, reservedId } from "./reservations";
import { takeToken } from "./rate-limit";
import { findTriggerCached, forgetTrigger } from "./trigger-cache";

export const MAX_EVENT_BYTES = MiB;
const MAX_KEY_LENGTH = 255;
const DB_DEADLINE_MS = 4000;

type Parsed = { payload: unknown; contentType: string | null };

/** JSON is stored parsed, forms as an object, anything else as text with its content type. */
export function parseEventBody(raw: Uint8Array, contentTypeHeader: string | null): Parsed {
  const contentType = contentTypeHeader?.split(";")[0].trim().toLowerCase() || null;
  if (!raw.byteLength) return { payload: null, contentType };
  const text = new TextDecoder().decode(raw);
  // What PostgreSQL cannot hold as text or jsonb (NUL, broken UTF-8) is kept byte for byte as base64.
  const binary = {
    payload: { base64: Buffer.from(raw).toString("base64") },
    contentType: contentType ?? "application/octet-stream",
  };
  if (!isStorableText(text) || text.includes("\uFFFD")) return binary;
  if (contentType === "application/json" || contentType?.endsWith("+json")) {
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch (error) {
      throw new ApiError(
        "BAD_REQUEST",
        `Malformed JSON body: ${error instanceof Error ? error.message : "parse error"}`,
      );
    }
    return isStorableJson(payload) ? { payload, contentType } : binary;
  }
  if (contentType === "application/x-www-form-urlencoded") {
    // null prototype: a field named __proto__ or constructor is kept as sent, like any other
    const out: Record<string, string | string[]> = Object.create(null);
    for (const [k, v] of new URLSearchParams(text)) {
      const prev = out[k];
      out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    // JSON.parse makes every key an own property of a plain object (what the database driver expects)
    return isStorableJson(out) ? { payload: JSON.parse(JSON.stringify(out)), contentType } : binary;
  }
  return { payload: text, contentType };
}

function secretsOf(trigger: Trigger): string[] {
  const list = [decryptSecret(trigger.secretEnc)];
  if (
    trigger.previousSecretEnc &&
    trigger.previousSecretExpiresAt &&
    trigger.previousSecretExpiresAt > now()
  ) {
    list.push(decryptSecret(trigger.previousSecretEnc));
  }
  return list;
}

/** Bearer <secret>, or X-Hub-Signature-256 (HMAC-SHA256 of the raw body) as GitHub sends. */
function authenticate(trigger: Trigger, req: Request, raw: Uint8Array) {
  const secrets = secretsOf(trigger);
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.get("authorization")?.trim() ?? "")?.[1];
  if (bearer && secrets.some((s) => safeEqual(s, bearer))) return;
  const signature = req.headers.get("x-hub-signature-256")?.trim().toLowerCase();
  if (signature?.startsWith("sha256=")) {
    const ok = secrets.some((s) =>
      safeEqual(`sha256=${createHmac("sha256", s).update(raw).digest("hex")}`, signature),
    );
    if (ok) return;
  }
  throw new ApiError(
    "UNAUTHORIZED",
    bearer || signature
      ? "Invalid trigger secret or signature"
      : "This trigger requires authentication: send Authorization: Bearer <secret> or X-Hub-Signature-256",
  );
}

function sessionKeyFrom(url: URL): {
  sessionKey: string | null;
  contact: { name?: string; email?: string; phone?: string } | null;
} {
  const q = url.searchParams;
  const check = (name: string) => {
    const v = q.get(name)?.trim();
    if (v && !isStorableText(v))
      throw new ApiError(
        "BAD_REQUEST",
        `${name} must not contain NUL characters or unpaired surrogates`,
      );
    if (v && v.length > MAX_KEY_LENGTH)
      throw new ApiError(
        "VALIDATION_ERROR",
        `${name} must be at most ${MAX_KEY_LENGTH} characters`,
        { issues: [{ path: name, message: "too long" }] },
      );
    return v || undefined;
  };
  const session = check("session");
  const contact = {
    name: check("contact.name"),
    email: check("contact.email")?.toLowerCase(),
    phone: check("contact.phone"),
  };
  const hasContact = contact.name || contact.email || contact.phone;
  if (session) return { sessionKey: `session:${session}`, contact: hasContact ? contact : null };
  if (contact.email) return { sessionKey: `contact:email:${contact.email}`, contact };
  if (contact.phone) return { sessionKey: `contact:phone:${contact.phone}`, contact };
  return { sessionKey: null, contact: hasContact ? contact : null };
}

/**
 * POST .../trigger/{id}/event: checks the trigger and its secret, reads at most
 * 1 MiB, stores the event and only then answers 202.
 */
export async function ingestEvent({
  triggerId,
  req,
  url,
}: {
  triggerId: string;
  req: Request;
  url: URL;
}) {
  if (!looksLikeId("trigger", triggerId)) throw notFound("Trigger");
  const trigger = await withDeadline(findTriggerCached(triggerId), DB_DEADLINE_MS);
  if (!trigger) throw notFound("Trigger");
  const raw = await readBodyLimited(req, MAX_EVENT_BYTES);
  if (trigger.authenticate) authenticate(trigger, req, raw);
  // Limited after authentication, so strangers cannot use up a sender's allowance.
  const e = env();
  const limit = takeToken(
    trigger.id,
    trigger.rateLimitPerSecond ?? e.RATE_LIMIT_PER_SECOND,
    trigger.rateLimitBurst ?? e.RATE_LIMIT_BURST,
  );
  if (!limit.ok) {
    throw new ApiError(
      "RATE_LIMITED",
      `Too many events for this trigger; retry in ${limit.retryAfterSeconds} s`,
      {
        headers: { "Retry-After": String(limit.retryAfterSeconds) },
      },
    );
  }
  const { sessionKey, contact } = sessionKeyFrom(url);
  const idempotencyKey = req.headers.get("idempotency-key")?.trim() || null;
  if (idempotencyKey && idempotencyKey.length > MAX_KEY_LENGTH) {
    throw new ApiError(
      "VALIDATION_ERROR",
      `Idempotency-Key must be at most ${MAX_KEY_LENGTH} characters`,
      { issues: [{ path: "Idempotency-Key", message: "too long" }] },
    );
  }
  const { payload, contentType } = parseEventBody(raw, req.headers.get("content-type"));
  const result = await storeEvent(
    {
      trigger,
      kind: "event",
      payload,
      contentType,
      sessionKey,
      contact,
      idempotencyKey,
    },
    () => requestFingerprint(trigger.id, url.search, req.headers.get("content-type"), raw),
  );
  return Response.json(
    { id: result.id, status: "queued", ...(result.duplicate && { duplicate: true }) },
    { status: result.duplicate ? 200 : 202 },
  );
}

/**
 * Stores the event within the deadline, or answers 503 meaning "not stored":
 * a row not yet sent to the database is withdrawn, and the id of one whose
 * fate is unknown is reserved for the sender's retry (./reservations.ts).
 */
async function storeEvent(input: QueueEventInput, fingerprint: () => string) {
  const keyed = Boolean(input.idempotencyKey); // a repeat is found by its key anyway
  const id = (!keyed && reservedId(fingerprint)) || newId("event");
  const withdraw = new AbortController();
  let withdrawn = false;
  try {
    const result = await withDeadline(
      queueEvent(
        { ...input, id },
        { signal: withdraw.signal, onWithdrawn: () => (withdrawn = true) },
      ),
      DB_DEADLINE_MS,
      () => withdraw.abort(),
    );
    if (!keyed) release(fingerprint);
    return result;
  } catch (error) {
    // deleted a moment ago on another server (this one's cache had not expired yet)
    if (hasCode(error, "23503")) {
      forgetTrigger(input.trigger.id);
      throw notFound("Trigger");
    }
    const answer = toApiError(error);
    if (answer.code === "UNAVAILABLE" && !keyed && !withdrawn) reserve(fingerprint(), id);
    throw answer;
  }
}
