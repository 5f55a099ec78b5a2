import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import type { EventStatus } from "@/db/schema";
import { bucketsOf, statsAggregate } from "./aggregate";
import { addBuckets } from "./latency";
import { rolledThrough, type Watermarks } from "./rollup";

export type StatRow = {
  triggerId: string;
  /** The start of the row's hour or day; for grain "trigger", the start of the range. */
  at: Date;
  status: EventStatus;
  events: number;
  /** Runs among them: events not taken into another event's batch. */
  runs: number;
  /** Latency bucket counts (grain "hour" only; empty otherwise). */
  buckets: number[];
  inputTokens: number;
  outputTokens: number;
};

/** Events whose id was made more than this before they were stored are read by the next minute's rollup. */
const LIVE_MARGIN_MS = 10_000;

type Raw = {
  triggerId: string;
  at?: Date | string;
  status: EventStatus;
  events: number | string;
  runs: number | string;
  buckets?: (number | string)[];
  cumulative?: (number | string)[];
  inputTokens: number | string;
  outputTokens: number | string;
};

/**
 * What one request reads its charts from: the rollups' watermarks, and the
 * events after them read live once (per hour) whichever grains it asks for.
 */
export type StatsReader = { marks: Watermarks; live: (from: Date) => Promise<Raw[]> };

export async function statsReader(db: Db, scope: { live: SQL }): Promise<StatsReader> {
  const marks = await rolledThrough(db);
  const reads = new Map<number, Promise<Raw[]>>();
  const live = (from: Date) => {
    let read = reads.get(from.getTime());
    if (!read) {
      read = db
        .execute(statsAggregate(scope.live, { from, margin: LIVE_MARGIN_MS }))
        .then((r) => rowsOf<Raw>(r));
      reads.set(from.getTime(), read);
    }
    return read;
  };
  return { marks, live };
}

/**
 * Where a read since `from` takes its rows: rolled hours in [from, hours),
 * rolled minutes in [hours, minutes), and live from `minutes` on.
 */
function regions(marks: Watermarks, from: Date) {
  const hours = marks.hours && marks.hours > from ? marks.hours : from;
  const minutes = marks.minutes && marks.minutes > hours ? marks.minutes : hours;
  return { hours, minutes };
}

/**
 * Rows per hour (with latency buckets), per UTC day (`from` on a day's
 * start), or per trigger, since `from`, for the events a scope selects: the
 * rolled-up hours from event_stats_hourly (days from event_stats_daily) and the
 * open hour's minutes from event_stats_minutely, grouped by the database, and
 * the minute after their watermark from trigger_events (through the primary
 * key: ids sort by time). The rows returned follow the range and the grain,
 * never the history (a database returns a few hundred rows, not one per hour
 * of a month); several rows of one hour or day add up.
 */
export async function statRows(
  db: Db,
  scope: { rollup: SQL; live: SQL },
  from: Date,
  grain: "hour" | "day" | "trigger",
  reader?: StatsReader,
): Promise<StatRow[]> {
  const { marks, live } = reader ?? (await statsReader(db, scope));
  const { hours, minutes } = regions(marks, from);
  const range = sql`${scope.rollup} and hour >= ${from.toISOString()} and hour < ${hours.toISOString()}`;
  const minuteRange = sql`${scope.rollup} and minute >= ${hours.toISOString()} and minute < ${minutes.toISOString()}`;
  const sums = sql`sum(events)::int as events, sum(runs)::int as runs, sum(input_tokens)::bigint as "inputTokens", sum(output_tokens)::bigint as "outputTokens"`;
  const rolledSql =
    grain === "hour"
      ? sql`select trigger_id as "triggerId", hour as at, status, events, runs, latency_buckets as buckets,
          input_tokens as "inputTokens", output_tokens as "outputTokens"
          from event_stats_hourly where ${range}
          union all
          select trigger_id, date_trunc('hour', minute, 'UTC'), status, events, runs, latency_buckets,
            input_tokens, output_tokens
          from event_stats_minutely where ${minuteRange}`
      : grain === "day"
        ? sql`select '' as "triggerId", day as at, status, ${sums}
            from event_stats_daily
            where ${scope.rollup} and day >= ${from.toISOString()} and day < ${hours.toISOString()}
            group by 2, 3
            union all
            select '', date_trunc('day', minute, 'UTC'), status, ${sums}
            from event_stats_minutely where ${minuteRange}
            group by 2, 3`
        : sql`select trigger_id as "triggerId", status, ${sums}
            from (select trigger_id, status, events, runs, input_tokens, output_tokens
                  from event_stats_hourly where ${range}
                  union all
                  select trigger_id, status, events, runs, input_tokens, output_tokens
                  from event_stats_minutely where ${minuteRange}) r
            group by 1, 2`;
  const [rolled, tail] = await Promise.all([
    minutes > from ? db.execute(rolledSql).then((r) => rowsOf<Raw>(r)) : [],
    live(minutes),
  ]);
  const shape = (r: Raw, at: Date, buckets: number[]): StatRow => ({
    triggerId: r.triggerId,
    at,
    status: r.status,
    events: Number(r.events),
    runs: Number(r.runs ?? r.events),
    buckets,
    inputTokens: Number(r.inputTokens),
    outputTokens: Number(r.outputTokens),
  });
  const DAY = 24 * 3_600_000;
  const liveAt = (hour: Date) =>
    grain === "hour" ? hour : grain === "day" ? new Date(Math.floor(+hour / DAY) * DAY) : from;
  return [
    ...rolled.map((r) => shape(r, r.at ? new Date(r.at) : from, (r.buckets ?? []).map(Number))),
    ...tail.map((r) =>
      shape(r, liveAt(new Date(r.at!)), grain === "hour" ? bucketsOf(r.cumulative ?? []) : []),
    ),
  ];
}

/** The latency buckets of every event a scope selects since `from`, summed (for a p95 over many triggers). */
export async function latencyBuckets(
  db: Db,
  scope: { rollup: SQL; live: SQL },
  from: Date,
  reader?: StatsReader,
) {
  const { marks, live } = reader ?? (await statsReader(db, scope));
  const { hours, minutes } = regions(marks, from);
  const [rolled, tail] = await Promise.all([
    minutes > from
      ? db.execute(sql`
          select u.i, sum(u.b)::int as n
          from (select latency_buckets from event_stats_hourly
                where ${scope.rollup} and hour >= ${from.toISOString()} and hour < ${hours.toISOString()}
                union all
                select latency_buckets from event_stats_minutely
                where ${scope.rollup} and minute >= ${hours.toISOString()} and minute < ${minutes.toISOString()}) r,
            unnest(r.latency_buckets) with ordinality as u(b, i)
          group by u.i order by u.i`)
      : [],
    live(minutes),
  ]);
  const total: number[] = [];
  for (const r of rowsOf<{ i: number | string; n: number | string }>(rolled))
    total[Number(r.i) - 1] = Number(r.n);
  for (const r of tail) addBuckets(total, bucketsOf(r.cumulative ?? []));
  return Array.from(total, (n) => n ?? 0);
}
