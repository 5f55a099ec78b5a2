import "server-only";
import { and, count, eq, gte, isNull, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { getTriggerOrThrow } from "@/db/owned";
import { triggerEvents, triggers, type Trigger } from "@/db/schema";
import { ApiError } from "@/lib/core/errors";
import { idBefore } from "@/lib/core/ids";
import { dispatchEvents } from "@/lib/jobs/dispatch";
import { notify, sendOutbox } from "@/lib/outbox/enqueue";
import { forgetTrigger } from "@/lib/events/trigger-cache";
import { rollAgainFrom } from "@/lib/stats/rollup";

// Pause and resume: a paused trigger still stores what senders send (202: nothing is lost) but
// runs none of it, schedules included (lib/processing/claim.ts and lib/schedules leave it out).
// Resume lets the held events run, in order. autoPause pauses a trigger whose runs keep failing.

/** Pauses the trigger (if it runs) and tells the owner's endpoints; false when paused already. */
async function pause(db: Db, trigger: Pick<Trigger, "id" | "ownerId">, reason: string) {
  const [paused] = await db
    .update(triggers)
    .set({ pausedAt: sql`now()`, pausedReason: reason })
    .where(and(eq(triggers.id, trigger.id), isNull(triggers.pausedAt)))
    .returning({ pausedAt: triggers.pausedAt, name: triggers.name });
  if (!paused) return false;
  forgetTrigger(trigger.id);
  await notify(
    db,
    trigger.ownerId,
    "trigger.paused",
    `trigger.paused:${trigger.id}:${paused.pausedAt!.toISOString()}`,
    { triggerId: trigger.id, name: paused.name, reason },
    { triggerId: trigger.id },
  );
  await sendOutbox();
  return true;
}

/** POST .../trigger/{id}/pause */
export async function pauseTrigger({ ownerId, id }: { ownerId: string; id: string }) {
  const trigger = await getTriggerOrThrow({ ownerId, id });
  if (trigger.pausedAt) throw new ApiError("CONFLICT", "The trigger is paused already");
  await pause(await getDb(), trigger, "Paused by hand");
  return { id, paused: true };
}

/** POST .../trigger/{id}/resume: what was held runs, oldest first. */
export async function resumeTrigger({ ownerId, id }: { ownerId: string; id: string }) {
  const trigger = await getTriggerOrThrow({ ownerId, id });
  if (!trigger.pausedAt) throw new ApiError("CONFLICT", "The trigger is not paused");
  const db = await getDb();
  // the hours its held events arrived in change as they run: the charts' rollup counts them
  // again (the oldest read before the runner can take it, marked once it is in the rollup's view)
  const [oldest] = await db
    .select({ createdAt: triggerEvents.createdAt })
    .from(triggerEvents)
    .where(and(eq(triggerEvents.triggerId, id), eq(triggerEvents.status, "queued")))
    .orderBy(triggerEvents.id)
    .limit(1);
  await db.update(triggers).set({ pausedAt: null, pausedReason: null }).where(eq(triggers.id, id));
  if (oldest) await rollAgainFrom(db, oldest.createdAt);
  forgetTrigger(id);
  const held = await db
    .select({
      id: triggerEvents.id,
      triggerId: triggerEvents.triggerId,
      ownerId: triggerEvents.ownerId,
      sessionKey: triggerEvents.sessionKey,
    })
    .from(triggerEvents)
    .where(and(eq(triggerEvents.triggerId, id), eq(triggerEvents.status, "queued")))
    .orderBy(triggerEvents.id)
    .limit(10_000);
  await dispatchEvents(held);
  return { id, paused: false, held: held.length };
}

/** After a failed run: a trigger with autoPause whose failures in its window reached the limit pauses. */
export async function autoPauseIfFailing(db: Db, triggerId: string) {
  const [t] = await db
    .select({
      id: triggers.id,
      ownerId: triggers.ownerId,
      autoPause: triggers.autoPause,
      pausedAt: triggers.pausedAt,
    })
    .from(triggers)
    .where(eq(triggers.id, triggerId));
  if (!t?.autoPause || t.pausedAt) return false;
  // failures that ended within the window (the database's clock); the scan starts at the events
  // that arrived up to an hour before it (ids sort by time), not at the trigger's first event
  const [{ n }] = await db
    .select({ n: count() })
    .from(triggerEvents)
    .where(
      and(
        eq(triggerEvents.triggerId, triggerId),
        gte(
          triggerEvents.id,
          idBefore("event", new Date(Date.now() - t.autoPause.window - 3_600_000)),
        ),
        eq(triggerEvents.status, "failed"),
        sql`${triggerEvents.completedAt} >= now() - ${t.autoPause.window} * interval '1 millisecond'`,
      ),
    );
  if (n < t.autoPause.failures) return false;
  const minutes = Math.round(t.autoPause.window / 60_000);
  return pause(
    db,
    t,
    `Paused itself: ${n} runs failed within ${minutes} minute${minutes === 1 ? "" : "s"} (autoPause)`,
  );
}
