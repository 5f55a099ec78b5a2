import "server-only";
import { sql } from "drizzle-orm";
import { getDb, rowsOf, type Db } from "@/db/client";
import { rolledBuckets, statsAggregate } from "./aggregate";
import { now } from "@/lib/core/clock";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const HOURS = "event_stats_hourly";
/** Where the next hourly rollup must start again: the hour of the oldest event still pending at the last one. */
const HOURS_PENDING = "event_stats_hourly:pending";
const MINUTES = "event_stats_minutely";
/** The minute of the oldest event of the open hour still unfinished at the last minute rollup. */
const MINUTES_PENDING = "event_stats_minutely:pending";
/** Closed hours are rolled again this long after they close, for runs finishing late. */
const REROLL_MS = 2 * HOUR;
/** Closed minutes are rolled again this long after they close, for inserts committing late. */
const MINUTE_REROLL_MS = 2 * MINUTE;
const UNFINISHED = sql`('queued', 'processing', 'waiting', 'batched')`;

const floorTo = (d: Date, unit: number) => new Date(Math.floor(d.getTime() / unit) * unit);
const latest = (...dates: Date[]) => new Date(Math.max(...dates.map((d) => d.getTime())));
const earliest = (...dates: Date[]) => new Date(Math.min(...dates.map((d) => d.getTime())));

/**
 * How far the rollups have got: every hour before `hours` is in
 * event_stats_hourly, every minute from there to `minutes` in
 * event_stats_minutely; later events are read live.
 */
export type Watermarks = { hours: Date | null; minutes: Date | null };

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** The watermarks as they stand: a lookup by name, null for one never set. */
async function readMarks(db: Db | Tx) {
  const rows = rowsOf<{ name: string; through: Date | string }>(
    await db.execute(sql`select name, through from rollup_watermarks`),
  );
  return (name: string) => {
    const row = rows.find((r) => r.name === name);
    return row ? new Date(row.through) : null;
  };
}

export async function rolledThrough(db: Db): Promise<Watermarks> {
  const mark = await readMarks(db);
  return { hours: mark(HOURS), minutes: mark(MINUTES) };
}

/**
 * Rolls what closed since the last rollup: the closed hours into
 * event_stats_hourly (and their days into event_stats_daily), the open hour's
 * closed minutes into event_stats_minutely. Runs from the runner's tick, on one
 * server at a time (an advisory lock). Hours and minutes are recomputed whole
 * (delete, insert), so a rollup that runs twice counts nothing twice; the last
 * closed hours (minutes) and any that still held an unfinished event at the
 * last rollup are recomputed too, so an event that finishes late is counted
 * under its final status. A minute's rollup reads about a minute of events, so
 * charts cost the same at any rate and any point of the hour.
 */
export async function rollUpStats(at = now()): Promise<{ hours: number; minutes: number } | null> {
  const db = await getDb();
  const hoursThrough = floorTo(at, HOUR);
  const minutesThrough = floorTo(at, MINUTE);
  const known = await rolledThrough(db);
  const done = (marks: Watermarks) =>
    marks.hours !== null &&
    marks.hours >= hoursThrough &&
    marks.minutes !== null &&
    marks.minutes >= minutesThrough;
  if (done(known)) return null;
  return db.transaction(async (tx) => {
    const [lock] = rowsOf<{ ok: boolean }>(
      await tx.execute(sql`select pg_try_advisory_xact_lock(hashtext(${HOURS})) as ok`),
    );
    if (!lock?.ok) return null;
    const mark = await readMarks(tx);
    if (done({ hours: mark(HOURS), minutes: mark(MINUTES) })) return null;
    const lastHours = mark(HOURS);
    const hours =
      lastHours && lastHours >= hoursThrough ? 0 : await rollHours(tx, mark, hoursThrough);
    const minutes = await rollMinutes(
      tx,
      mark,
      latest(lastHours ?? hoursThrough, hoursThrough),
      minutesThrough,
    );
    return { hours, minutes };
  });
}

/**
 * Events from `at` on may change their status again (a paused trigger resumed): the next hourly
 * rollup rolls again from that hour, as it does from its oldest unfinished event.
 */
export async function rollAgainFrom(db: Db, at: Date) {
  const hour = floorTo(at, HOUR).toISOString();
  // a rollup under way keeps a mark lowered while it ran (rollHours): no lock to wait for here
  await db.execute(sql`
    insert into rollup_watermarks (name, through) values (${HOURS_PENDING}, ${hour})
    on conflict (name) do update set through = least(rollup_watermarks.through, excluded.through)`);
}

async function setMark(tx: Tx, name: string, value: Date) {
  await tx.execute(sql`
    insert into rollup_watermarks (name, through) values (${name}, ${value.toISOString()})
    on conflict (name) do update set through = excluded.through`);
}

/** The closed hours since the last rollup (and the ones to roll again) into event_stats_hourly. */
async function rollHours(tx: Tx, mark: (name: string) => Date | null, through: Date) {
  const last = mark(HOURS);
  const [oldest] = rowsOf<{ at: Date | string | null }>(
    await tx.execute(sql`select created_at as at from trigger_events order by id limit 1`),
  );
  const candidates = [
    last ? new Date(last.getTime() - REROLL_MS) : oldest?.at ? new Date(oldest.at) : through,
    mark(HOURS_PENDING),
  ].filter((d): d is Date => d !== null);
  const from = floorTo(earliest(...candidates), HOUR);
  await tx.execute(
    sql`delete from event_stats_hourly where hour >= ${from.toISOString()} and hour < ${through.toISOString()}`,
  );
  await tx.execute(sql`
    insert into event_stats_hourly
      (trigger_id, owner_id, hour, status, events, runs, latency_buckets, input_tokens, output_tokens)
    select a."triggerId", a."ownerId", a.at, a.status, a.events, a.runs, ${rolledBuckets},
      a."inputTokens", a."outputTokens"
    from (${statsAggregate(sql`true`, { from, to: through })}) a`);
  // the days those hours fall in, summed again from the hourly rows
  const fromDay = floorTo(from, DAY);
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
  // the minutes of those hours are in the hourly rows now
  await tx.execute(sql`delete from event_stats_minutely where minute < ${through.toISOString()}`);
  // unfinished events (queued, running, or waiting for a decision) may still change their hour;
  // a paused trigger's queued ones do not until it resumes or they are cancelled (which mark
  // their hours, rollAgainFrom): one held event must not make every hourly rollup re-roll the
  // whole history of every owner
  const [pending] = rowsOf<{ at: Date | string | null }>(
    await tx.execute(
      sql`select least(
        (select e.created_at from trigger_events e where e.status in ('queued', 'processing')
          and not (e.status = 'queued' and exists (
            select 1 from triggers t where t.id = e.trigger_id and t.paused_at is not null))
          order by e.id limit 1),
        (select created_at from trigger_events where status = 'waiting' order by id limit 1)) as at`,
    ),
  );
  const pendingFrom = pending?.at ? floorTo(new Date(pending.at), HOUR) : through;
  await setMark(tx, HOURS, through);
  // a mark rollAgainFrom lowered while this rollup ran (a trigger resumed, a held event
  // cancelled) is kept: this rollup's pending query may have left those events out
  const readAtStart = mark(HOURS_PENDING);
  const next = (pendingFrom < through ? pendingFrom : through).toISOString();
  await tx.execute(sql`
    insert into rollup_watermarks (name, through) values (${HOURS_PENDING}, ${next})
    on conflict (name) do update set through = case
      when ${readAtStart?.toISOString() ?? null}::timestamptz is null
        or rollup_watermarks.through < ${readAtStart?.toISOString() ?? null}::timestamptz
      then least(rollup_watermarks.through, excluded.through)
      else excluded.through end`);
  return Math.round((through.getTime() - from.getTime()) / HOUR);
}

/**
 * The closed minutes after the hourly watermark into event_stats_minutely:
 * since the last minute rollup, the two minutes before it again, and from the
 * minute of its oldest unfinished event (which the rows it wrote tell).
 */
async function rollMinutes(
  tx: Tx,
  mark: (name: string) => Date | null,
  hours: Date,
  through: Date,
) {
  const last = mark(MINUTES);
  const candidates = [
    last ? new Date(last.getTime() - MINUTE_REROLL_MS) : hours,
    mark(MINUTES_PENDING) ?? hours,
  ];
  const from = latest(hours, earliest(...candidates));
  let pendingFrom = latest(through, hours);
  if (from < through) {
    await tx.execute(
      sql`delete from event_stats_minutely where minute >= ${from.toISOString()} and minute < ${through.toISOString()}`,
    );
    const [unfinished] = rowsOf<{ at: Date | string | null }>(
      await tx.execute(sql`
        with rolled as (
          insert into event_stats_minutely
            (trigger_id, owner_id, minute, status, events, runs, latency_buckets, input_tokens, output_tokens)
          select a."triggerId", a."ownerId", a.at, a.status, a.events, a.runs, ${rolledBuckets},
            a."inputTokens", a."outputTokens"
          from (${statsAggregate(sql`true`, { from, to: through, unit: "minute" })}) a
          returning minute, status)
        select min(minute) as at from rolled where status in ${UNFINISHED}`),
    );
    if (unfinished?.at) pendingFrom = new Date(unfinished.at);
  }
  await setMark(tx, MINUTES, latest(through, hours));
  await setMark(tx, MINUTES_PENDING, pendingFrom);
  return Math.max(0, Math.round((through.getTime() - from.getTime()) / MINUTE));
}
