import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { triggerEvents, triggers, type TriggerEvent } from "@/db/schema";
import { recordActivity } from "@/lib/conversations/activity";
import { PermanentError } from "@/lib/core/errors";
import { errorField, log } from "@/lib/observability/log";
import { MAX_ATTEMPTS } from "./claim";
import { notify, sendOutbox } from "@/lib/outbox/enqueue";
import { autoPauseIfFailing } from "@/lib/triggers/pause";
import { finishMembers } from "./batch-members";
import { resolveConversation } from "./conversation";

const BACKOFF_MS = [2_000, 10_000, 30_000];

/**
 * After a failed attempt: back to `queued` with back-off, or, after the last
 * attempt (or a permanent error), `failed` with the error on the event and as
 * an activity message in its conversation. Nothing disappears silently.
 * `gone` when the attempt no longer holds the event (it ended meanwhile, or a
 * later claim took it over): nothing is written, whoever holds it says. The
 * fence is the attempt's number, so a claim taken over and then handed back
 * uncharged (same number again) is not told apart from this attempt.
 */
export async function recordFailure(
  event: TriggerEvent,
  error: unknown,
  /** backoff: false when the job engine does the back-off itself (Inngest). */
  options: { final?: boolean; backoff?: boolean } = {},
): Promise<"retry" | "failed" | "gone"> {
  const db = await getDb();
  const message = error instanceof Error ? error.message : String(error);
  const final = options.final || error instanceof PermanentError || event.attempts >= MAX_ATTEMPTS;
  const fence = and(
    eq(triggerEvents.id, event.id),
    eq(triggerEvents.attempts, event.attempts),
    sql`${triggerEvents.status} in ('queued', 'processing')`,
  );
  if (!final) {
    const delay =
      options.backoff === false
        ? 0
        : BACKOFF_MS[Math.min(event.attempts - 1, BACKOFF_MS.length - 1)];
    const queued = await db
      .update(triggerEvents)
      .set({
        status: "queued",
        error: message,
        lockedUntil: sql`now() + ${delay} * interval '1 millisecond'`,
      })
      .where(fence)
      .returning({ id: triggerEvents.id });
    return queued.length ? "retry" : "gone";
  }
  // no conversation is made for an event this attempt no longer holds
  const [held] = await db.select({ id: triggerEvents.id }).from(triggerEvents).where(fence);
  if (!held) return "gone";
  const conversationId = await conversationFor(event);
  const failed = await db.transaction(async (tx) => {
    const updated = await tx
      .update(triggerEvents)
      .set({
        status: "failed",
        runState: null,
        error: message,
        completedAt: sql`now()`,
        lockedUntil: null,
        conversationId,
      })
      .where(fence)
      .returning({ id: triggerEvents.id });
    if (updated.length) {
      await finishMembers(tx, event.id, "failed", message);
      await notifyFailed(tx, event, message, conversationId);
    }
    if (updated.length && conversationId)
      await insertFailureNote(tx, event, conversationId, failureText(event.attempts, message));
    return updated.length > 0;
  });
  // the fence matched nothing: the event ended meanwhile (cancelled, say) or a later claim took
  // it over; whoever holds it now records what becomes of it
  if (!failed) return "gone";
  await afterFailure(event);
  return "failed";
}

/** event.failed for the owner's endpoints, in the transaction that fails the event. */
const notifyFailed = (
  db: Pick<Db, "execute">,
  event: Pick<TriggerEvent, "id" | "ownerId" | "triggerId" | "attempts">,
  error: string,
  conversationId: string | null,
) =>
  notify(
    db,
    event.ownerId,
    "event.failed",
    `event.failed:${event.id}`,
    {
      eventId: event.id,
      triggerId: event.triggerId,
      conversationId,
      error,
      attempts: event.attempts,
    },
    { triggerId: event.triggerId, eventId: event.id, conversationId },
  );

/** A failed run may pause its trigger (autoPause); what was written to the outbox is sent. */
async function afterFailure(event: Pick<TriggerEvent, "triggerId">) {
  const db = await getDb();
  await autoPauseIfFailing(db, event.triggerId);
  await sendOutbox();
}

const failureText = (attempts: number, message: string) =>
  `Processing failed after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${message}`;

/** The event's conversation, made now if it failed before one was (so the failure shows somewhere). */
async function conversationFor(event: TriggerEvent): Promise<string | null> {
  if (event.conversationId) return event.conversationId;
  const db = await getDb();
  try {
    const [t] = await db.select().from(triggers).where(eq(triggers.id, event.triggerId));
    return t ? (await resolveConversation(db, event, t, t.botId)).id : null;
  } catch (e) {
    log().error(
      { event: event.id, trigger: event.triggerId, error: errorField(e) },
      "could not record the failed event in a conversation",
    );
    return null;
  }
}

function insertFailureNote(
  tx: Pick<Db, "insert">,
  event: TriggerEvent,
  conversationId: string,
  text: string,
) {
  return recordActivity(tx, {
    ownerId: event.ownerId,
    conversationId,
    eventId: event.id,
    text,
    meta: { step: "failure", error: event.error ?? text, attempts: event.attempts },
  });
}

/** Poison events (their runs kept dying with the process) were failed when claimed: say so in their conversations. */
export async function notePoisoned(events: TriggerEvent[]) {
  const db = await getDb();
  for (const event of events) {
    log().warn(
      { event: event.id, trigger: event.triggerId, error: event.error },
      "poison event failed",
    );
    const conversationId = await conversationFor(event);
    await notifyFailed(db, event, event.error ?? "failed", conversationId);
    await afterFailure(event);
    if (!conversationId) continue;
    await db.update(triggerEvents).set({ conversationId }).where(eq(triggerEvents.id, event.id));
    await insertFailureNote(db, event, conversationId, `Processing failed: ${event.error}`);
  }
}
