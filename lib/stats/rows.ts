import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { EventStatus } from "@/db/schema";
import { idBefore } from "@/lib/ids";
import { bucketsOf, hourlyAggregate } from "./aggregate";
import { rolledThrough, rowsOf } from "./rollup";

export type HourRow = {
  triggerId: string;
  hour: Date;
  status: EventStatus;
  events: number;
  buckets: number[];
  inputTokens: number;
  outputTokens: number;
};

/**
 * The hourly rows since `from` for the events a scope selects: rolled-up hours
 * from event_stats_hourly, the hours after its watermark from trigger_events
 * (through the primary key: ids sort by time). The cost follows the range
 * asked for and the last hour's traffic, not the history.
 */
export async function hourRows(
  db: Db,
  scope: { rollup: SQL; live: SQL },
  from: Date,
): Promise<HourRow[]> {
  const through = (await rolledThrough(db)) ?? from;
  const liveFrom = through > from ? through : from;
  const [rolled, live] = await Promise.all([
    through > from
      ? db.execute(sql`
          select trigger_id as "triggerId", hour, status, events, latency_buckets as buckets,
            input_tokens as "inputTokens", output_tokens as "outputTokens"
          from event_stats_hourly
          where ${scope.rollup} and hour >= ${from.toISOString()} and hour < ${through.toISOString()}`)
      : [],
    db.execute(hourlyAggregate(sql`${scope.live} and e.id >= ${idBefore("event", liveFrom)}`)),
  ]);
  type Raw = Omit<HourRow, "buckets" | "hour"> & {
    hour: Date | string;
    buckets?: (number | string)[];
    cumulative?: (number | string)[];
  };
  const shape = (r: Raw, buckets: number[]): HourRow => ({
    triggerId: r.triggerId,
    hour: new Date(r.hour),
    status: r.status,
    events: Number(r.events),
    buckets,
    inputTokens: Number(r.inputTokens),
    outputTokens: Number(r.outputTokens),
  });
  return [
    ...rowsOf<Raw>(rolled).map((r) => shape(r, (r.buckets ?? []).map(Number))),
    ...rowsOf<Raw>(live).map((r) => shape(r, bucketsOf(r.cumulative ?? []))),
  ];
}
