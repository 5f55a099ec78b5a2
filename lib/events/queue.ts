import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { PgInsertValue } from "drizzle-orm/pg-core";
import { getDb, type Db } from "@/db/client";
import {
  triggerEvents,
  type BatchPolicy,
  type EventKind,
  type Trigger,
  type TriggerEvent,
} from "@/db/schema";
import { ApiError } from "@/lib/core/errors";
import { newId } from "@/lib/core/ids";
import { errorField, log } from "@/lib/observability/log";
import { dispatchEvents } from "@/lib/jobs/dispatch";
import {
  insertEventBatched,
  type EventRow,
  type StoredEvent,
  type WithdrawOptions,
} from "./batch-insert";
import { extendBatch } from "./batching";
import { TRIGGER_SESSION_KEY } from "./session-key";

export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

export type QueueEventInput = {
  /** A reserved id (the retry of a request answered 503); new otherwise. */
  id?: string;
  trigger: Pick<Trigger, "id" | "ownerId">;
  kind: EventKind;
  /** `filtered` (the trigger's filter said no) or `failed` (it could not decide) are stored finished, never run. */
  status?: "queued" | "filtered" | "failed";
  error?: string | null;
  errorCode?: string | null;
  payload: unknown;
  contentType?: string | null;
  headers?: Record<string, string> | null;
  sessionKey?: string | null;
  contact?: { name?: string; email?: string; phone?: string } | null;
  idempotencyKey?: string | null;
  /** A CloudEvent's context attributes, when the delivery was one. */
  cloudEvent?: Record<string, unknown> | null;
  scheduledFor?: Date | null;
  replayOf?: string | null;
  /** Whether the trigger authenticated the sender; an event of the owner's own (invoke, schedule) is. */
  senderVerified?: boolean | null;
  /** Held for a batch: its key, and the trigger's policy (lib/events/batching.ts). */
  hold?: { key: string; policy: BatchPolicy } | null;
};

type Executor = Pick<Db, "insert">;

/** The row's plain values (what the batched insert sends). */
export function plainEventRow(input: QueueEventInput): EventRow {
  return {
    id: input.id ?? newId("event"),
    ownerId: input.trigger.ownerId,
    triggerId: input.trigger.id,
    kind: input.kind,
    status: input.status ?? "queued",
    error: input.error ?? null,
    errorCode: input.errorCode ?? null,
    payload: input.payload ?? null,
    contentType: input.contentType ?? null,
    headers: input.headers ?? null,
    sessionKey: input.sessionKey ?? (input.kind === "event" ? null : TRIGGER_SESSION_KEY),
    contact: input.contact ?? null,
    idempotencyKey: input.idempotencyKey ?? null,
    cloudEvent: input.cloudEvent ?? null,
    batchKey:
      input.hold && input.status !== "filtered" && input.status !== "failed"
        ? input.hold.key
        : null,
    holdMs:
      input.hold && input.status !== "filtered" && input.status !== "failed"
        ? input.hold.policy.window
        : null,
    scheduledFor: input.scheduledFor ?? null,
    replayOf: input.replayOf ?? null,
    senderVerified: input.senderVerified ?? (input.kind === "event" ? null : true),
    // createdAt: the database's clock, like every other event timestamp
  };
}

/** The row for a drizzle insert: a finished event (filtered, failed) completes at the database's now(). */
export function eventRow(input: QueueEventInput): PgInsertValue<typeof triggerEvents> {
  const { holdMs, ...row } = plainEventRow(input);
  if (row.status !== "queued") return { ...row, completedAt: sql`now()` };
  return holdMs === null
    ? row
    : { ...row, lockedUntil: sql`now() + ${holdMs} * interval '1 millisecond'` };
}

/** Inserts the event row; null when a unique key (schedule slot, idempotency key) already holds one. */
export async function insertEvent(
  db: Executor,
  input: QueueEventInput,
): Promise<TriggerEvent | null> {
  const [row] = await db
    .insert(triggerEvents)
    .values(eventRow(input))
    .onConflictDoNothing()
    .returning();
  return row ?? null;
}

/** The event holding an idempotency key: live within the window, or expired (its key free again). */
async function keyHolder(db: Db, triggerId: string, key: string) {
  const [holder] = await db
    .select({
      id: triggerEvents.id,
      status: triggerEvents.status,
      expired: sql<boolean>`${triggerEvents.createdAt} < now() - ${IDEMPOTENCY_WINDOW_MS} * interval '1 millisecond'`,
    })
    .from(triggerEvents)
    .where(and(eq(triggerEvents.triggerId, triggerId), eq(triggerEvents.idempotencyKey, key)));
  if (!holder) return {};
  return holder.expired
    ? { expired: holder.id }
    : { live: { id: holder.id, status: holder.status } };
}

/** A key older than the window is released (only then: a retry within it stays a repeat). */
async function releaseKey(db: Db, eventId: string) {
  await db
    .update(triggerEvents)
    .set({ idempotencyKey: null })
    .where(
      and(
        eq(triggerEvents.id, eventId),
        sql`${triggerEvents.createdAt} < now() - ${IDEMPOTENCY_WINDOW_MS} * interval '1 millisecond'`,
      ),
    );
}

type Queued = { id: string; duplicate: boolean; status?: TriggerEvent["status"] };

/**
 * Stores the event (committed before anyone is told it was accepted), then
 * hands it to the job engine. A failed hand-off loses nothing: the row stays
 * `queued` and is dispatched again by the sweeper.
 */
export async function queueEvent(
  input: QueueEventInput,
  options: WithdrawOptions = {},
): Promise<Queued> {
  const stored = await storeQueuedEvent(input, options);
  if (stored.row) await handOffStored(input, stored.row);
  return stored.answer;
}

/**
 * The storing half of queueEvent: the event committed (or found as a repeat of
 * its key), and the row still to be handed off (handOffStored) when it is new.
 * The event endpoint bounds this half by its deadline, not the hand-off: an
 * event that is stored is never answered 503 (DESIGN: 503 means not stored).
 */
export async function storeQueuedEvent(
  input: QueueEventInput,
  options: WithdrawOptions = {},
): Promise<{ answer: Queued; row: StoredEvent | null }> {
  const db = await getDb();
  const key = input.idempotencyKey;
  // Keyed or not, rows share the one-at-a-time multi-row insert: a session's events commit in
  // their ids' order. A keyed row takes its id as it joins the queue (not earlier, when another
  // event of its session could take a later id and join first). A keyed row that conflicts is a
  // repeat of the key's holder, or, when the holder is older than the window (the key is free
  // again) or was deleted meanwhile, is tried once more with the key released.
  for (let pass = 1; ; pass++) {
    const row = await insertEventBatched(
      plainEventRow(key ? { ...input, id: undefined } : input),
      options,
    );
    if (row) return { answer: { id: row.id, duplicate: false, status: row.status }, row };
    if (!key) throw new Error("Event insert conflicted without an idempotency key");
    const held = await keyHolder(db, input.trigger.id, key);
    if (held.live) return { answer: { ...held.live, duplicate: true }, row: null };
    if (pass === 2)
      throw new ApiError("UNAVAILABLE", "The event could not be stored; try again shortly", {
        headers: { "Retry-After": "1" },
      });
    if (held.expired) await releaseKey(db, held.expired);
  }
}

/** A stored event joins its batch, and a queued one goes to the job engine. Never throws. */
export async function handOffStored(input: QueueEventInput, row: StoredEvent) {
  if (row.status === "queued" && input.hold)
    // the event is stored (the answer is 202 whatever happens here): should moving its batch's
    // due time fail, it keeps the window it was stored with and runs then
    await extendBatch(await getDb(), input.trigger.id, input.hold.key, input.hold.policy).catch(
      (error) =>
        log().warn(
          { event: row.id, error: errorField(error) },
          "could not move the batch's due time",
        ),
    );
  if (row.status === "queued") await dispatchEvents([row]);
}
