import "server-only";
import { eq, sql } from "drizzle-orm";
import { getDb, rowsOf } from "@/db/client";
import { triggerEvents, triggers, type TriggerEvent } from "@/db/schema";
import { dispatchSessionNext } from "@/lib/jobs/dispatch";
import { claimEvent, handBack } from "./claim";
import { notePoisoned, recordFailure } from "./failure";
import { processClaimedEvent } from "./process";
import { RunControl } from "./run-control";

/** Thrown to make the job engine retry. */
export class RetryableEventError extends Error {}

// matched by markEventFailed in the errors of runs of earlier versions too: keep the text
const HELD_ELSEWHERE = "is held by another run";
const HANDED_BACK = "was handed back uncharged: the database stopped answering its run";

/**
 * The Inngest path: claim this event and process it. A failed attempt either
 * retries (throws, with the event back in `queued`, Inngest doing the back-off)
 * or ends `failed`. An event another run holds is a retryable error, not a
 * success: if that run dies, a later attempt (or the sweep) picks it up.
 */
export async function runEventById(eventId: string): Promise<{ status: string }> {
  const { event, poisoned } = await claimEvent(eventId);
  if (poisoned) {
    await notePoisoned([poisoned]);
    return { status: "failed" };
  }
  if (!event) {
    const db = await getDb();
    const [row] = await db
      .select({ status: triggerEvents.status, pausedAt: triggers.pausedAt })
      .from(triggerEvents)
      .innerJoin(triggers, eq(triggers.id, triggerEvents.triggerId))
      .where(eq(triggerEvents.id, eventId));
    // held by a paused trigger: its resume sends the event again
    if (row?.status === "queued" && row.pausedAt) return { status: "paused" };
    // held by a live claim, or behind an earlier event of its session (or its back-off)
    if (row?.status === "queued" || row?.status === "processing")
      throw new RetryableEventError(
        `Event ${eventId} ${HELD_ELSEWHERE} or waits for an earlier event of its session; trying again later`,
      );
    return { status: "skipped" }; // finished already, cancelled, filtered or deleted
  }
  const control = new RunControl(event);
  try {
    const outcome = await processClaimedEvent(event, control);
    if (outcome === "completed") return await ended(event, "completed");
    if (outcome === "waiting") return { status: outcome };
    if (control.stopped === "unreachable") return await handedBack(event);
    return { status: control.stopped ?? outcome };
  } catch (error) {
    if (error instanceof RetryableEventError) throw error; // handed back above
    if (control.stopped === "unreachable") return await handedBack(event);
    if (control.stopped) return { status: control.stopped };
    const outcome = await recordFailure(event, error, { backoff: false });
    if (outcome === "retry")
      throw new RetryableEventError(error instanceof Error ? error.message : String(error));
    // ended or taken over meanwhile: its end (a cancellation, the other run) sends the session on
    if (outcome === "gone") return { status: outcome };
    return await ended(event, "failed");
  } finally {
    control.finish();
  }
}

/** An event that ended frees its session: the session's next event is sent on at once. */
async function ended(event: TriggerEvent, status: "completed" | "failed") {
  await dispatchSessionNext(event);
  return { status };
}

/**
 * A run cut off by the database (a renewal it did not answer): not the event's fault, so the
 * event goes back uncharged, as the inline runner hands its orphans back, and Inngest tries again.
 * Should the hand-back fail too (the database still away), the lease runs out and the next claim
 * takes it over.
 */
async function handedBack(event: TriggerEvent): Promise<never> {
  await handBack([event]).catch(() => {});
  throw new RetryableEventError(`Event ${event.id} ${HANDED_BACK}; trying again later`);
}

/**
 * When an event held for a batch is due (ISO, on the database's clock), or null when it may run
 * now. Later arrivals of its key move the time, so the Inngest function asks again after it.
 */
export async function heldUntil(eventId: string): Promise<string | null> {
  const db = await getDb();
  const [row] = rowsOf<{ due: Date | string | null }>(
    await db.execute(sql`
      select case when locked_until > now() then locked_until end as due from ${triggerEvents}
      where id = ${eventId} and status = 'queued' and batch_key is not null and attempts = 0`),
  );
  return row?.due ? new Date(row.due).toISOString() : null;
}

/** The failure handler: an event whose run died for good (crash, timeout) ends `failed`, never stuck. */
export async function markEventFailed(eventId: string, error: string) {
  const db = await getDb();
  const [event] = await db.select().from(triggerEvents).where(eq(triggerEvents.id, eventId));
  if (!event || !["queued", "processing"].includes(event.status))
    return { status: event?.status ?? "gone" };
  // this function gave up only because another run holds the event (that run finishes it) or
  // because the database was away (the event is queued again, and the sweep sends it again)
  if (error.includes(HELD_ELSEWHERE) || error.includes(HANDED_BACK)) return { status: "held" };
  const status = await recordFailure(event, new Error(error), { final: true });
  // failed for good, it frees its session as any end does
  if (status === "failed") await dispatchSessionNext(event);
  return { status };
}
