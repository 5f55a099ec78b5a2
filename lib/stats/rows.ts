import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import type { EventStatus } from "@/db/schema";
import { bucketsOf, hourlyAggregate } from "./aggregate";
import { addBuckets } from "./latency";
import { rolledThrough } from "./rollup";

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

/**
 * Rows per hour (with latency buckets), per UTC day (`from` on a day's
 * start), or per trigger, since `from`, for the events a scope selects: the
 * rolled-up hours from event_stats_hourly (days from event_stats_daily),
 * grouped by the database, and the hours after its
 * watermark from trigger_events (through the primary key: ids sort by time).
 * The rows returned follow the range and the grain, never the history (a
 * database returns a few hundred rows, not one per hour of a month).
 */
export async function statRows(
  db: Db,
  scope: { rollup: SQL; live: SQL },
  from: Date,
  grain: "hour" | "day" | "trigger",
  /** rolledThrough(db), when the caller asks for several grains at once. */
  watermark?: Date | null,
): Promise<StatRow[]> {
  const through = (watermark === undefined ? await rolledThrough(db) : watermark) ?? from;
  const liveFrom = through > from ? through : from;
  const range = sql`${scope.rollup} and hour >= ${from.toISOString()} and hour < ${through.toISOString()}`;
  const sums = sql`sum(events)::int as events, sum(runs)::int as runs, sum(input_tokens)::bigint as "inputTokens", sum(output_tokens)::bigint as "outputTokens"`;
  const rolledSql =
    grain === "hour"
      ? sql`select trigger_id as "triggerId", hour as at, status, events, runs, latency_buckets as buckets,
          input_tokens as "inputTokens", output_tokens as "outputTokens"
          from event_stats_hourly where ${range}`
      : grain === "day"
        ? sql`select '' as "triggerId", day as at, status, ${sums}
            from event_stats_daily
            where ${scope.rollup} and day >= ${from.toISOString()} and day < ${through.toISOString()}
            group by 2, 3`
        : sql`select trigger_id as "triggerId", status, ${sums}
            from event_stats_hourly where ${range} group by 1, 2`;
  const [rolled, live] = await Promise.all([
    through > from ? db.execute(rolledSql) : [],
    db.execute(hourlyAggregate(scope.live, liveFrom)),
  ]);
  type Raw = {
    triggerId: string;
    at?: Date | string;
    hour?: Date | string;
    status: EventStatus;
    events: number | string;
    runs: number | string;
    buckets?: (number | string)[];
    cumulative?: (number | string)[];
    inputTokens: number | string;
    outputTokens: number | string;
  };
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
    ...rowsOf<Raw>(rolled).map((r) =>
      shape(r, r.at ? new Date(r.at) : from, (r.buckets ?? []).map(Number)),
    ),
    ...rowsOf<Raw>(live).map((r) =>
      shape(r, liveAt(new Date(r.hour!)), grain === "hour" ? bucketsOf(r.cumulative ?? []) : []),
    ),
  ];
}

/** The latency buckets of every event a scope selects since `from`, summed (for a p95 over many triggers). */
export async function latencyBuckets(
  db: Db,
  scope: { rollup: SQL; live: SQL },
  from: Date,
  watermark?: Date | null,
) {
  const through = (watermark === undefined ? await rolledThrough(db) : watermark) ?? from;
  const liveFrom = through > from ? through : from;
  const [rolled, live] = await Promise.all([
    through > from
      ? db.execute(sql`
          select u.i, sum(u.b)::int as n
          from event_stats_hourly, unnest(latency_buckets) with ordinality as u(b, i)
          where ${scope.rollup} and hour >= ${from.toISOString()} and hour < ${through.toISOString()}
          group by u.i order by u.i`)
      : [],
    db.execute(hourlyAggregate(scope.live, liveFrom)),
  ]);
  const total: number[] = [];
  for (const r of rowsOf<{ i: number | string; n: number | string }>(rolled))
    total[Number(r.i) - 1] = Number(r.n);
  for (const r of rowsOf<{ cumulative: (number | string)[] }>(live))
    addBuckets(total, bucketsOf(r.cumulative));
  return Array.from(total, (n) => n ?? 0);
}
