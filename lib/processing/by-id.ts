import "server-only";
import { and, eq, isNull, lt, or } from "drizzle-orm";
import { getDb } from "@/db/client";
import { triggerEvents } from "@/db/schema";
import { dispatchEvents } from "@/lib/jobs";
import { claimEvent } from "./claim";
import { processClaimedEvent, recordFailure } from "./process";

/** Thrown to make the job engine retry; the event is already back in `queued`. */
export class RetryableEventError extends Error {}

/** The Inngest path: claim this event, process it; a failed attempt either retries (throws) or ends `failed`. */
export async function runEventById(eventId: string): Promise<{ status: string }> {
  const event = await claimEvent(eventId);
  if (!event) return { status: "skipped" }; // done already, or another run holds it
  try {
    return { status: await processClaimedEvent(event) };
  } catch (error) {
    const outcome = await recordFailure(event, error);
    if (outcome === "retry")
      throw new RetryableEventError(error instanceof Error ? error.message : String(error));
    return { status: "failed" };
  }
}

/** The failure handler: an event whose run died for good (crash, timeout) ends `failed`, never stuck. */
export async function markEventFailed(eventId: string, error: string) {
  const db = await getDb();
  const [event] = await db.select().from(triggerEvents).where(eq(triggerEvents.id, eventId));
  if (!event || event.status === "completed" || event.status === "failed")
    return { status: event?.status ?? "gone" };
  return { status: await recordFailure(event, new Error(error), { final: true }) };
}

/** Events stored but never handed to Inngest (send failed), or handed over long ago and still queued. */
export async function redispatchStale(olderThanMs = 5 * 60_000, limit = 500) {
  const db = await getDb();
  const cutoff = new Date(Date.now() - olderThanMs);
  const stale = await db
    .select({
      id: triggerEvents.id,
      triggerId: triggerEvents.triggerId,
      sessionKey: triggerEvents.sessionKey,
    })
    .from(triggerEvents)
    .where(
      and(
        eq(triggerEvents.status, "queued"),
        or(
          and(
            isNull(triggerEvents.dispatchedAt),
            lt(triggerEvents.createdAt, new Date(Date.now() - 30_000)),
          ),
          lt(triggerEvents.dispatchedAt, cutoff),
        ),
      ),
    )
    .limit(limit);
  await dispatchEvents(stale);
  return { redispatched: stale.length };
}
