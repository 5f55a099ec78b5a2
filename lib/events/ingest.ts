import "server-only";
import type { Trigger } from "@/db/schema";
import { isStorableText, readBodyLimited } from "@/lib/core/body";
import { bodyLimitFor } from "@/lib/core/body";
import { ApiError, hasCode, notFound, toApiError, withDeadline } from "@/lib/core/errors";
import { env, usesInngest } from "@/lib/core/env";
import { looksLikeId, newId } from "@/lib/core/ids";
import { log } from "@/lib/observability/log";
import { metrics } from "@/lib/observability/metrics";
import { eventTrace, inSpan, spanContextOf } from "@/lib/observability/trace";
import { parseEventBody } from "./body";
import { batchKeyOf } from "./batching";
import { readCloudEvents, webhookHandshake } from "./cloudevents";
import { runFilter, type FilterDecision } from "./filter";
import { keptHeaders } from "./headers";
import { MAX_KEY_LENGTH } from "./schema";
import { handOffStored, storeQueuedEvent, type QueueEventInput } from "./queue";
import { release, requestFingerprint, reserve, reservedId } from "./reservations";
import { takeToken } from "./rate-limit";
import { sessionKeyFor, type EventContact } from "./session-key";
import { findTriggerCached, forgetTrigger } from "./trigger-cache";
import { deliveryId, signedDeliveryKey, verifyDelivery } from "./verify";

export const MAX_EVENT_BYTES = bodyLimitFor("/api/v1/integration/trigger/");
const DB_DEADLINE_MS = 4000;
/**
 * How long a stored event's answer waits for its hand-off (Inngest's send): some back-pressure
 * while Inngest is slow, never a 503 for what is stored. The send goes on after the answer.
 */
const HAND_OFF_WAIT_MS = 2000;

/** Waits for the hand-off (which never throws) at most `ms`: past that, the answer goes out. */
const handOffWithin = (handOff: Promise<void>, ms: number, eventId: string) =>
  withDeadline(handOff, ms).catch(() =>
    log().warn(
      { event: eventId, waitedMs: ms },
      "the job engine is slow to take a stored event; answered 202, the hand-off goes on",
    ),
  );

function sessionFrom(url: URL): { sessionKey: string | null; contact: EventContact | null } {
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
  const contact: EventContact = {
    name: check("contact.name"),
    email: check("contact.email")?.toLowerCase(),
    phone: check("contact.phone"),
  };
  const known = contact.name || contact.email || contact.phone;
  return { sessionKey: sessionKeyFor(check("session"), contact), contact: known ? contact : null };
}

/**
 * POST .../trigger/{id}/event: checks the trigger and the sender (the
 * trigger's verification preset), reads at most 1 MiB, answers handshakes,
 * lets the trigger's filter decide, stores the event and only then answers 202.
 */
export async function ingestEvent(input: { triggerId: string; req: Request; url: URL }) {
  const received = metrics().eventsReceived;
  return inSpan("event.ingest", { "trigger.id": input.triggerId }, async (span) => {
    try {
      const { response, outcome, eventId } = await ingest(input);
      received.inc({ outcome });
      span?.setAttribute("event.outcome", outcome);
      if (span && eventId) {
        span.setAttribute("event.id", eventId);
        span.addLink({ context: spanContextOf(eventTrace(eventId)) });
      }
      return response;
    } catch (error) {
      const status = toApiError(error).status;
      received.inc({ outcome: String(status) });
      span?.setAttribute("http.response.status_code", status);
      throw error;
    }
  });
}

/**
 * OPTIONS .../trigger/{id}/event: the CloudEvents webhook handshake (Azure Event Grid and other
 * emitters ask before they deliver). Answered for an existing trigger, within its rate limit.
 */
export async function answerHandshake({ triggerId, req }: { triggerId: string; req: Request }) {
  if (!looksLikeId("trigger", triggerId)) throw notFound("Trigger");
  const trigger = await withDeadline(findTriggerCached(triggerId), DB_DEADLINE_MS);
  if (!trigger) throw notFound("Trigger");
  rateLimit(trigger);
  const perSecond = trigger.rateLimitPerSecond ?? env().RATE_LIMIT_PER_SECOND;
  return webhookHandshake(req.headers, Math.max(1, Math.floor(perSecond * 60)));
}

type Ingested = {
  response: Response;
  outcome: "202" | "duplicate" | "filtered" | "handshake";
  eventId?: string;
};

async function ingest({
  triggerId,
  req,
  url,
}: {
  triggerId: string;
  req: Request;
  url: URL;
}): Promise<Ingested> {
  if (!looksLikeId("trigger", triggerId)) throw notFound("Trigger");
  const trigger = await withDeadline(findTriggerCached(triggerId), DB_DEADLINE_MS);
  if (!trigger) throw notFound("Trigger");
  // Microsoft Graph checks a notification URL by posting ?validationToken=… and wants it echoed:
  // answered only by triggers set up for Graph, and only within their rate limit
  const validation = url.searchParams.get("validationToken");
  if (validation !== null && trigger.verification.type === "graph") {
    rateLimit(trigger);
    return { response: graphValidation(validation), outcome: "handshake" };
  }
  const raw = await readBodyLimited(req, MAX_EVENT_BYTES);
  if (trigger.authenticate) verifyDelivery(trigger, req.headers, raw);
  // Limited after authentication, so strangers cannot use up a sender's allowance.
  rateLimit(trigger);
  const { sessionKey, contact } = sessionFrom(url);
  const parsed = parseEventBody(raw, req.headers.get("content-type"));
  const headers = keptHeaders(req.headers, trigger.verification.header);
  const arrival: Arrival = { trigger, headers, url, sessionKey, contact };
  // what the signature covers keys the delivery, whatever the unsigned Content-Type says it is
  const signedKey = trigger.authenticate
    ? signedDeliveryKey(trigger.verification, req.headers, raw)
    : null;
  const cloud = readCloudEvents(req.headers, raw, parsed);
  if (cloud) {
    // each entry of a batch is an event: it takes its own token
    if (cloud.entries.length > 1) rateLimit(trigger, cloud.entries.length - 1);
    const results = await Promise.all(
      cloud.entries.map((entry) =>
        storeArrival(arrival, {
          payload: entry.payload,
          contentType: entry.contentType ?? parsed.contentType,
          cloudEvent: entry.attributes,
          // a structured entry's signed key is its own (`ce:source#id`, see signedDeliveryKey)
          idempotencyKey: (cloud.mode === "binary" && signedKey) || entry.dedupeKey,
        }),
      ),
    );
    if (cloud.mode !== "batch") return answer(results[0]);
    const events = results.map(({ id, status, duplicate }) => ({
      id,
      status: status ?? "queued",
      ...(duplicate && { duplicate: true }),
    }));
    const fresh = results.filter((r) => !r.duplicate);
    return {
      response: Response.json({ events }, { status: fresh.length ? 202 : 200 }),
      outcome: fresh.length ? "202" : "duplicate",
      eventId: results[0].id,
    };
  }
  const { payload, contentType } = parsed;
  const challenge = slackChallenge(payload);
  if (challenge !== null) return { response: Response.json({ challenge }), outcome: "handshake" };
  const idempotencyKey = signedKey || idempotencyKeyOf(req.headers, payload);
  const result = await storeArrival(arrival, { payload, contentType, idempotencyKey }, () =>
    requestFingerprint(trigger.id, url.search, req.headers.get("content-type"), raw),
  );
  return answer(result);
}

/** What every event of one delivery shares. */
type Arrival = {
  trigger: Trigger;
  headers: Record<string, string>;
  url: URL;
  sessionKey: string | null;
  contact: EventContact | null;
};

/**
 * Lets the trigger's filter decide on one event, then stores it (see storeEvent). `fingerprint`
 * matters only for an event without a key (the retry of one answered 503 finds its id by it).
 */
async function storeArrival(
  { trigger, headers, url, sessionKey, contact }: Arrival,
  event: Pick<QueueEventInput, "payload" | "contentType" | "idempotencyKey" | "cloudEvent">,
  fingerprint: () => string = () => "",
) {
  const activation = {
    payload: event.payload,
    headers,
    query: Object.fromEntries(url.searchParams),
    contact: contact ?? {},
    cloudevent: event.cloudEvent ?? {},
  };
  let decision: FilterDecision = trigger.filter
    ? await runFilter(trigger.filter, activation, trigger.id)
    : { matched: true };
  // a trigger that batches holds the event with the others of its key (lib/events/batching.ts)
  let hold: QueueEventInput["hold"] = null;
  if (trigger.batch && decision.matched && !decision.error) {
    const key = await batchKeyOf(trigger.batch, activation, sessionKey, trigger.id);
    if ("error" in key) decision = { matched: false, error: key.error, code: "batch_key_error" };
    else hold = { key: key.key, policy: trigger.batch };
  }
  return storeEvent(
    {
      trigger,
      kind: "event",
      status: decision.error ? "failed" : decision.matched ? "queued" : "filtered",
      error: decision.error ?? null,
      errorCode: decision.code ?? null,
      headers,
      sessionKey,
      contact,
      hold,
      senderVerified: trigger.authenticate,
      ...event,
    },
    fingerprint,
  );
}

function answer(result: Awaited<ReturnType<typeof storeEvent>>): Ingested {
  const status = result.status ?? "queued";
  return {
    response: Response.json(
      { id: result.id, status, ...(result.duplicate && { duplicate: true }) },
      { status: result.duplicate ? 200 : 202 },
    ),
    outcome: result.duplicate ? "duplicate" : status === "filtered" ? "filtered" : "202",
    eventId: result.id,
  };
}

function rateLimit(trigger: Trigger, cost = 1) {
  const e = env();
  const limit = takeToken(
    trigger.id,
    trigger.rateLimitPerSecond ?? e.RATE_LIMIT_PER_SECOND,
    trigger.rateLimitBurst ?? e.RATE_LIMIT_BURST,
    cost,
  );
  if (!limit.ok) {
    throw new ApiError(
      "RATE_LIMITED",
      `Too many events for this trigger; retry in ${limit.retryAfterSeconds} s`,
      { headers: { "Retry-After": String(limit.retryAfterSeconds) } },
    );
  }
}

function graphValidation(token: string): Response {
  if (token.length > 1000 || !isStorableText(token))
    throw new ApiError("BAD_REQUEST", "validationToken is too long or not text");
  return new Response(token, { status: 200, headers: { "content-type": "text/plain" } });
}

/** Slack's Events API first sends `{type: "url_verification", challenge}` and wants the challenge back. */
function slackChallenge(payload: unknown): string | null {
  if (!payload || typeof payload !== "object" || Array.isArray(payload)) return null;
  const p = payload as { type?: unknown; challenge?: unknown };
  return p.type === "url_verification" && typeof p.challenge === "string" ? p.challenge : null;
}

/** Idempotency-Key when sent; else the provider's own delivery id, so its retries are not new events. */
function idempotencyKeyOf(headers: Headers, payload: unknown): string | null {
  const sent = headers.get("idempotency-key")?.trim();
  if (sent) {
    if (sent.length > MAX_KEY_LENGTH)
      throw new ApiError(
        "VALIDATION_ERROR",
        `Idempotency-Key must be at most ${MAX_KEY_LENGTH} characters`,
        { issues: [{ path: "Idempotency-Key", message: "too long" }] },
      );
    return sent;
  }
  const delivery = deliveryId(headers, payload);
  return delivery && delivery.length <= MAX_KEY_LENGTH && isStorableText(delivery)
    ? delivery
    : null;
}

/**
 * Stores the event within the deadline, or answers 503 meaning "not stored":
 * a row not yet sent to the database is withdrawn, and the id of one whose
 * fate is unknown is reserved for the sender's retry (./reservations.ts).
 * The hand-off to the job engine comes after the deadline: a stored event is
 * answered 202 even when Inngest is slow to take it (the sweep sends it again).
 */
async function storeEvent(input: QueueEventInput, fingerprint: () => string) {
  const keyed = Boolean(input.idempotencyKey); // a repeat is found by its key anyway
  const id = (!keyed && reservedId(fingerprint)) || newId("event");
  const withdraw = new AbortController();
  let withdrawn = false;
  try {
    const { answer, row } = await withDeadline(
      storeQueuedEvent(
        { ...input, id },
        { signal: withdraw.signal, onWithdrawn: () => (withdrawn = true) },
      ),
      DB_DEADLINE_MS,
      () => withdraw.abort(),
    );
    if (!keyed) release(fingerprint);
    if (row) {
      const handOff = handOffStored(input, row);
      // the inline runner is woken in a moment; only Inngest's send can keep the answer waiting
      await (usesInngest() ? handOffWithin(handOff, HAND_OFF_WAIT_MS, row.id) : handOff);
    }
    return answer;
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
