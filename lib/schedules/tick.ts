import "server-only";
import { and, asc, eq, inArray, isNotNull, isNull, lte, sql } from "drizzle-orm";
import { getDb, rowsOf, type Db } from "@/db/client";
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

/**
 * One round of the tick: up to `limit` due triggers, each queued and advanced. When more are due
 * than a round takes, owners take turns (each owner's oldest first), so an owner with thousands of
 * overdue schedules does not push another owner's to a later round or tick.
 */
async function tickRound(at: Date, limit: number): Promise<{ queued: number; due: number }> {
  const db = await getDb();
  const { created, due } = await db.transaction(async (tx) => {
    // a paused trigger's schedule waits: after its resume the next tick runs it once
    const dueNow = and(
      isNotNull(triggers.nextTriggerAt),
      lte(triggers.nextTriggerAt, at),
      isNull(triggers.pausedAt),
    );
    const crowded =
      (
        await tx
          .select({ id: triggers.id })
          .from(triggers)
          .where(dueNow)
          .limit(limit + 1)
      ).length > limit;
    const chosen = crowded ? await inTurns(tx, at, limit) : [];
    const rows = await tx
      .select()
      .from(triggers)
      .where(crowded ? and(dueNow, inArray(triggers.id, chosen)) : dueNow)
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

/**
 * Up to `limit` due triggers, locked, in turns: the owners with schedules by a skip scan of
 * triggers_owner_due_idx (one probe each), then each one's oldest due ones. Its cost follows the
 * number of owners with schedules, so a round uses it only when more are due than it takes.
 */
async function inTurns(tx: Pick<Db, "execute">, at: Date, limit: number): Promise<string[]> {
  const until = sql`${at.toISOString()}::timestamptz`;
  const taken = await tx.execute(sql`
    with recursive owners as (
      (select owner_id from triggers
       where next_trigger_at is not null and paused_at is null order by owner_id limit 1)
      union all
      select (select t.owner_id from triggers t
              where t.next_trigger_at is not null and t.paused_at is null
                and t.owner_id > o.owner_id
              order by t.owner_id limit 1)
      from owners o where o.owner_id is not null
    ), candidates as (
      select c.id, c.next_trigger_at, c.turn from owners o cross join lateral (
        select t.id, t.next_trigger_at, row_number() over (order by t.next_trigger_at) as turn
        from triggers t
        where t.owner_id = o.owner_id and t.paused_at is null and t.next_trigger_at <= ${until}
        order by t.next_trigger_at limit ${limit}
      ) c where o.owner_id is not null
    )
    select r.id from triggers r join candidates c on c.id = r.id
    where r.next_trigger_at <= ${until} and r.paused_at is null
    order by c.turn, c.next_trigger_at limit ${limit}
    for update of r skip locked`);
  return rowsOf<{ id: string }>(taken).map((r) => r.id);
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
