import "server-only";
import { and, asc, eq, gte, ilike, inArray, lt, ne, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import { getDb } from "@/db/client";
import { approvalsOfEvent, cancelApprovals } from "@/lib/approvals/service";
import { recordActivity } from "@/lib/conversations/activity";
import { messages, triggerEvents, type Trigger, type TriggerEvent } from "@/db/schema";
import { ApiError, notFound } from "@/lib/core/errors";
import { iso } from "@/lib/core/fields";
import { rollAgainFrom } from "@/lib/stats/rollup";
import { containsPattern, cursorClauses, toPage } from "@/db/pages";
import { getTriggerOrThrow } from "@/db/owned";
import { eventRow, queueEvent } from "./queue";
import { idBefore } from "@/lib/core/ids";
import { dispatchEvents, dispatchSessionNext } from "@/lib/jobs/dispatch";
import { MAX_BULK_REPLAY, type bulkReplaySchema, type listEventsQuerySchema } from "./schema";

export const serializeEvent = (e: TriggerEvent) => ({
  id: e.id,
  triggerId: e.triggerId,
  kind: e.kind,
  status: e.status,
  payload: e.payload,
  contentType: e.contentType,
  headers: e.headers ?? {},
  sessionKey: e.sessionKey,
  contact: e.contact,
  idempotencyKey: e.idempotencyKey,
  /** A CloudEvent's context attributes (id, source, type, ...); null for other deliveries. */
  cloudEvent: e.cloudEvent,
  scheduledFor: iso(e.scheduledFor),
  /** A queued event's due time: the end of its batch window, or of a retry's back-off. */
  runAfter: e.status === "queued" ? iso(e.lockedUntil) : null,
  /** The run it went into, by the id of that run's first event (its own id for that one). */
  batchId: e.batchId,
  replayOf: e.replayOf,
  attempts: e.attempts,
  error: e.error,
  /** What kind of failure it was (filter_limit, filter_error, ...); null when none or not classified. */
  errorCode: e.errorCode,
  conversationId: e.conversationId,
  /** Model tokens the event's runs used so far (every attempt); null while no model call reported any. */
  inputTokens: e.inputTokens,
  outputTokens: e.outputTokens,
  createdAt: iso(e.createdAt),
  startedAt: iso(e.startedAt),
  completedAt: iso(e.completedAt),
  latencyMs: e.completedAt ? e.completedAt.getTime() - e.createdAt.getTime() : null,
});

type Owner = { ownerId: string };

export async function listEvents({
  ownerId,
  triggerId,
  query,
}: Owner & { triggerId: string; query: z.infer<typeof listEventsQuerySchema> }) {
  await getTriggerOrThrow({ ownerId, id: triggerId });
  const db = await getDb();
  const c = cursorClauses(triggerEvents.id, query);
  // the trigger is the caller's (checked above), so its events are: no owner_id condition, which
  // PostgreSQL would take as independent of trigger_id and plan a sort of the trigger's every event
  const filters: (SQL | undefined)[] = [eq(triggerEvents.triggerId, triggerId), c.where];
  if (query.status) filters.push(eq(triggerEvents.status, query.status));
  if (query.kind) filters.push(eq(triggerEvents.kind, query.kind));
  // scans the trigger's events newest first until a page is found: fine for a person searching
  if (query.search)
    filters.push(ilike(sql`${triggerEvents.payload}::text`, containsPattern(query.search)));
  if (query.from) filters.push(gte(triggerEvents.createdAt, new Date(query.from)));
  if (query.to) filters.push(lt(triggerEvents.createdAt, new Date(query.to)));
  const rows = await db
    .select()
    .from(triggerEvents)
    .where(and(...filters))
    .orderBy(c.orderBy)
    .limit(c.limit);
  return toPage(rows.map(serializeEvent), query.take);
}

/** The caller's event on that trigger, or 404. */
export async function ownedEvent({
  ownerId,
  triggerId,
  eventId,
}: Owner & { triggerId: string; eventId: string }) {
  const db = await getDb();
  const [event] = await db
    .select()
    .from(triggerEvents)
    .where(
      and(
        eq(triggerEvents.id, eventId),
        eq(triggerEvents.triggerId, triggerId),
        eq(triggerEvents.ownerId, ownerId),
      ),
    );
  if (!event) throw notFound("Event");
  return event;
}

/**
 * One event with what its run recorded, in order: the user message the bot
 * read, each tool call (input, output, error, duration), activities (failed
 * attempts, cancellation) and the reply. The event inspector's one request.
 */
export async function fetchEvent({
  ownerId,
  triggerId,
  eventId,
}: Owner & { triggerId: string; eventId: string }) {
  const db = await getDb();
  const event = await ownedEvent({ ownerId, triggerId, eventId });
  const steps = await db
    .select({
      id: messages.id,
      type: messages.type,
      text: messages.text,
      meta: messages.meta,
      createdAt: messages.createdAt,
    })
    .from(messages)
    .where(and(eq(messages.eventId, eventId), eq(messages.ownerId, ownerId)))
    .orderBy(asc(messages.id));
  const batch = event.batchId
    ? await db
        .select({
          id: triggerEvents.id,
          status: triggerEvents.status,
          createdAt: triggerEvents.createdAt,
        })
        .from(triggerEvents)
        .where(and(eq(triggerEvents.batchId, event.batchId), eq(triggerEvents.ownerId, ownerId)))
        .orderBy(asc(triggerEvents.id))
    : [];
  return {
    ...serializeEvent(event),
    /** The run it was part of: its first event (the run's steps and tokens are there) and all its events. */
    batch: event.batchId
      ? {
          id: event.batchId,
          size: batch.length,
          events: batch.map((b) => ({ id: b.id, status: b.status, createdAt: iso(b.createdAt) })),
        }
      : null,
    /** The calls of its run that waited for a decision, with the decision (who, when, note). */
    approvals: await approvalsOfEvent(eventId),
    steps: steps.map((m) => {
      // the payload rides on the event, not again on each step
      const meta = { ...(m.meta as Record<string, unknown> | null) };
      delete meta.payload;
      return { id: m.id, type: m.type, text: m.text, meta, createdAt: iso(m.createdAt) };
    }),
  };
}

/** A new event with the same payload, session and contact, linked to the original. */
export async function replayEvent({
  ownerId,
  triggerId,
  eventId,
}: Owner & { triggerId: string; eventId: string }) {
  const trigger = await getTriggerOrThrow({ ownerId, id: triggerId });
  const original = await ownedEvent({ ownerId, triggerId, eventId });
  const { id } = await queueEvent(replayOfEvent(trigger, original));
  return { id: triggerId, eventId: id };
}

const replayOfEvent = (trigger: Trigger, original: TriggerEvent) => ({
  trigger,
  kind: original.kind,
  payload: original.payload,
  contentType: original.contentType,
  headers: original.headers,
  sessionKey: original.sessionKey,
  contact: original.contact,
  cloudEvent: original.cloudEvent,
  replayOf: original.id,
  // the payload is the original sender's: believed as much as it was
  senderVerified: original.senderVerified,
});

/**
 * Replays up to MAX_BULK_REPLAY of the trigger's events with `status` (since
 * `since`), oldest first, in one insert. An event replayed already is left out,
 * so pressing "Replay all failed" twice (or a client's retry) replays nothing twice.
 */
export async function replayEvents({
  ownerId,
  triggerId,
  input,
}: Owner & { triggerId: string; input: z.infer<typeof bulkReplaySchema> }) {
  const trigger = await getTriggerOrThrow({ ownerId, id: triggerId });
  const db = await getDb();
  const originals = await db
    .select()
    .from(triggerEvents)
    .where(
      and(
        eq(triggerEvents.triggerId, triggerId),
        eq(triggerEvents.ownerId, ownerId),
        eq(triggerEvents.status, input.status),
        // ids sort by arrival: the primary key bounds `since` without another index
        input.since ? gte(triggerEvents.id, idBefore("event", new Date(input.since))) : undefined,
        sql`not exists (select 1 from trigger_events r where r.replay_of = ${triggerEvents.id})`,
      ),
    )
    .orderBy(asc(triggerEvents.id))
    .limit(MAX_BULK_REPLAY);
  if (!originals.length) return { id: triggerId, replayed: 0, eventIds: [] };
  const rows = await db
    .insert(triggerEvents)
    .values(originals.map((o) => eventRow(replayOfEvent(trigger, o))))
    .returning();
  await dispatchEvents(rows);
  return { id: triggerId, replayed: rows.length, eventIds: rows.map((r) => r.id) };
}

/**
 * Cancels an event: a queued one never runs (one held for a batch leaves it); a processing one is
 * stopped before its next step (the run sees the status when it renews its claim) and records
 * nothing more, and the other events of its run are cancelled with it; one in another event's
 * run leaves it. Finished events cannot be cancelled (409).
 */
export async function cancelEvent({
  ownerId,
  triggerId,
  eventId,
}: Owner & { triggerId: string; eventId: string }) {
  const trigger = await getTriggerOrThrow({ ownerId, id: triggerId });
  const db = await getDb();
  const where = and(
    eq(triggerEvents.id, eventId),
    eq(triggerEvents.triggerId, triggerId),
    eq(triggerEvents.ownerId, ownerId),
  );
  const [cancelled] = await db
    .update(triggerEvents)
    .set({
      status: "cancelled",
      error: "Cancelled",
      lockedUntil: null,
      runState: null,
      completedAt: sql`now()`,
    })
    .where(
      and(where, inArray(triggerEvents.status, ["queued", "processing", "waiting", "batched"])),
    )
    .returning();
  if (!cancelled) {
    const [row] = await db
      .select({ status: triggerEvents.status })
      .from(triggerEvents)
      .where(where);
    if (!row) throw notFound("Event");
    throw new ApiError("CONFLICT", `The event is ${row.status} already and cannot be cancelled`);
  }
  // a waiting event's calls are cancelled with it: nothing of them runs
  await cancelApprovals(db, eventId);
  if (cancelled.batchId === cancelled.id)
    await db
      .update(triggerEvents)
      .set({ status: "cancelled", error: "Cancelled with its run", completedAt: sql`now()` })
      .where(
        and(
          eq(triggerEvents.batchId, eventId),
          ne(triggerEvents.id, eventId),
          eq(triggerEvents.status, "batched"),
        ),
      );
  if (cancelled.conversationId) {
    await recordActivity(db, {
      ownerId,
      conversationId: cancelled.conversationId,
      eventId,
      text: "Cancelled while it ran; nothing more is recorded for this event",
      meta: { step: "cancel" },
    });
  }
  // a paused trigger's held event is not in the charts' pending mark: its hour is marked instead
  if (trigger.pausedAt) await rollAgainFrom(db, cancelled.createdAt);
  // the session it held goes on (Inngest may have given up on the next event meanwhile)
  await dispatchSessionNext(cancelled);
  return { id: triggerId, eventId, status: "cancelled" as const };
}

/** Events per hour over the last 24 hours, oldest first, for the trigger's overview chart. */
