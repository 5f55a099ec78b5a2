import "server-only";
import { and, asc, eq, isNotNull, isNull, lte } from "drizzle-orm";
import { getDb } from "@/db/client";
import { triggers, type TriggerEvent } from "@/db/schema";
import { now } from "@/lib/core/clock";
import { insertEvent } from "@/lib/events/queue";
import { dispatchEvents } from "@/lib/jobs/dispatch";
import { nextRunAfter, parseSchedule } from "./parse";

/** How long one tick keeps going round while triggers are due (the next tick goes on). */
const TICK_BUDGET_MS = 5000;

/**
 * Queues one `schedule` event for each due trigger and advances its next run.
 * Due triggers are claimed FOR UPDATE SKIP LOCKED and each run is unique per
 * (trigger, scheduled time), so two ticks - on one server or two - never run a
 * slot twice. After downtime a trigger gets one catch-up run, not a burst.
 */
export async function runScheduleTick(
  at: Date = now(),
  limit = 200,
  budgetMs = TICK_BUDGET_MS,
): Promise<{ queued: number; rounds: number }> {
  // round after round until fewer than `limit` were due (or the budget is spent): one owner's
  // thousands of schedules must not leave everyone else's due triggers for later ticks
  const started = Date.now();
  let queued = 0;
  let rounds = 0;
  for (;;) {
    const round = await tickRound(at, limit);
    queued += round.queued;
    rounds++;
    if (round.due < limit || Date.now() - started >= budgetMs) return { queued, rounds };
  }
}

/** One round of the tick: up to `limit` due triggers, each queued and advanced. */
async function tickRound(at: Date, limit: number): Promise<{ queued: number; due: number }> {
  const db = await getDb();
  const { created, due } = await db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(triggers)
      // a paused trigger's schedule waits: after its resume the next tick runs it once
      .where(
        and(
          isNotNull(triggers.nextTriggerAt),
          lte(triggers.nextTriggerAt, at),
          isNull(triggers.pausedAt),
        ),
      )
      .orderBy(asc(triggers.nextTriggerAt))
      .limit(limit)
      .for("update", { skipLocked: true });
    const events: TriggerEvent[] = [];
    for (const t of rows) {
      const slot = t.nextTriggerAt!;
      const event = await insertEvent(tx, {
        trigger: t,
        kind: "schedule",
        payload: null,
        scheduledFor: slot,
      });
      if (event) events.push(event);
      await tx
        .update(triggers)
        .set({ nextTriggerAt: nextAfter(t.schedule, t.timezone, slot, at) })
        .where(eq(triggers.id, t.id));
    }
    return { created: events, due: rows.length };
  });
  if (created.length) await dispatchEvents(created);
  return { queued: created.length, due };
}

function nextAfter(schedule: string | null, timezone: string, slot: Date, at: Date): Date | null {
  if (!schedule) return null;
  let parsed;
  try {
    parsed = parseSchedule(schedule, timezone);
  } catch {
    return null; // a schedule that no longer parses stops rather than looping
  }
  const next = nextRunAfter(parsed, timezone, slot);
  // Missed slots (downtime) collapse into the run just queued.
  return next && next <= at ? nextRunAfter(parsed, timezone, at) : next;
}
