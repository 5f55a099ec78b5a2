import "server-only";
import { sql } from "drizzle-orm";
import { getDb, rowsOf, type Db } from "@/db/client";
import { hourlyAggregate } from "./aggregate";
import { now } from "@/lib/core/clock";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NAME = "event_stats_hourly";
/** Where the next rollup must start again: the hour of the oldest event still pending at the last one. */
const PENDING = "event_stats_hourly:pending";
/** Closed hours are rolled again this long after they close, for runs finishing late. */
const REROLL_MS = 2 * HOUR;

const floorHour = (d: Date) => new Date(Math.floor(d.getTime() / HOUR) * HOUR);

/** Every hour before the returned instant is in event_stats_hourly; later hours are read live. */
export async function rolledThrough(db: Db): Promise<Date | null> {
  const [row] = rowsOf<{ through: Date | string }>(
    await db.execute(sql`select through from rollup_watermarks where name = ${NAME}`),
  );
  return row ? new Date(row.through) : null;
}

/**
 * Rolls the closed hours since the last rollup into event_stats_hourly: once
 * an hour, from the runner's tick, on one server at a time (an advisory lock).
 * Hours are recomputed whole (delete, insert), so a rollup that runs twice
 * counts nothing twice; the last two closed hours and any hour that still held
 * a pending event at the last rollup are recomputed too, so an event that
 * finishes late is counted under its final status.
 */
export async function rollUpStats(at = now()): Promise<{ hours: number } | null> {
  const db = await getDb();
  const through = floorHour(at);
  const known = await rolledThrough(db);
  if (known && known >= through) return null;
  return db.transaction(async (tx) => {
    const [lock] = rowsOf<{ ok: boolean }>(
      await tx.execute(sql`select pg_try_advisory_xact_lock(hashtext(${NAME})) as ok`),
    );
    if (!lock?.ok) return null;
    const marks = rowsOf<{ name: string; through: Date | string }>(
      await tx.execute(sql`select name, through from rollup_watermarks`),
    );
    const mark = (name: string) => {
      const row = marks.find((m) => m.name === name);
      return row ? new Date(row.through) : null;
    };
    const last = mark(NAME);
    if (last && last >= through) return null;
    const [oldest] = rowsOf<{ at: Date | string | null }>(
      await tx.execute(sql`select created_at as at from trigger_events order by id limit 1`),
    );
    const candidates = [
      last ? new Date(last.getTime() - REROLL_MS) : oldest?.at ? new Date(oldest.at) : through,
      mark(PENDING),
    ].filter((d): d is Date => d !== null);
    const from = floorHour(new Date(Math.min(...candidates.map((d) => d.getTime()))));
    await tx.execute(
      sql`delete from event_stats_hourly where hour >= ${from.toISOString()} and hour < ${through.toISOString()}`,
    );
    await tx.execute(sql`
      insert into event_stats_hourly
        (trigger_id, owner_id, hour, status, events, runs, latency_buckets, input_tokens, output_tokens)
      select a."triggerId", a."ownerId", a.hour, a.status, a.events, a.runs,
        (select array_agg(c - coalesce(lag, 0) order by i) from (
          select c, i, lag(c) over (order by i) as lag from unnest(a.cumulative) with ordinality as u(c, i)
        ) d),
        a."inputTokens", a."outputTokens"
      from (${hourlyAggregate(sql`true`, from, through)}) a`);
    // the days those hours fall in, summed again from the hourly rows
    const fromDay = new Date(Math.floor(from.getTime() / DAY) * DAY);
    await tx.execute(
      sql`delete from event_stats_daily where day >= ${fromDay.toISOString()} and day < ${through.toISOString()}`,
    );
    await tx.execute(sql`
      insert into event_stats_daily (trigger_id, owner_id, day, status, events, runs, input_tokens, output_tokens)
      select trigger_id, owner_id, date_trunc('day', hour, 'UTC'), status,
        sum(events), sum(runs), sum(input_tokens), sum(output_tokens)
      from event_stats_hourly
      where hour >= ${fromDay.toISOString()} and hour < ${through.toISOString()}
      group by 1, 2, 3, 4`);
    // unfinished events (queued, running, or waiting for a decision) may still change their hour
    const [pending] = rowsOf<{ at: Date | string | null }>(
      await tx.execute(
        sql`select least(
          (select created_at from trigger_events where status in ('queued', 'processing') order by id limit 1),
          (select created_at from trigger_events where status = 'waiting' order by id limit 1)) as at`,
      ),
    );
    const pendingFrom = pending?.at ? floorHour(new Date(pending.at)) : through;
    for (const [name, value] of [
      [NAME, through],
      [PENDING, pendingFrom < through ? pendingFrom : through],
    ] as const)
      await tx.execute(sql`
        insert into rollup_watermarks (name, through) values (${name}, ${value.toISOString()})
        on conflict (name) do update set through = excluded.through`);
    return { hours: Math.round((through.getTime() - from.getTime()) / HOUR) };
  });
}
