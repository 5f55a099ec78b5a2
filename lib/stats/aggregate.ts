import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { idBefore } from "@/lib/core/ids";
import { LATENCY_BUCKETS_MS } from "./latency";

/**
 * How far an event id's time (the server's clock when it was made) may lie
 * from its created_at (the database's clock at the insert, later still for a
 * batched insert). The scan is bounded by ids (the primary key) this much
 * wider; the hours are cut by created_at, so each event counts in exactly one
 * hour whichever clock ran ahead.
 */
const CLOCK_MARGIN_MS = 5 * 60_000;

/**
 * One row per (trigger, hour of arrival in UTC, status) for the events of
 * `scope` that arrived in [from, to): count, end-to-end latency buckets
 * (finished events only) and tokens. Shared by the rollup (which stores it) and
 * the live tail after the rollup's watermark (which reads it), so both count
 * the same way.
 */
export function hourlyAggregate(scope: SQL, from: Date, to?: Date) {
  const where = sql`${scope}
    and e.id >= ${idBefore("event", new Date(from.getTime() - CLOCK_MARGIN_MS))}
    and e.created_at >= ${from.toISOString()}
    ${to ? sql`and e.id < ${idBefore("event", new Date(to.getTime() + CLOCK_MARGIN_MS))} and e.created_at < ${to.toISOString()}` : sql``}`;
  const latency = sql`(extract(epoch from (e.completed_at - e.created_at)) * 1000)`;
  const buckets = sql.join(
    [
      ...LATENCY_BUCKETS_MS.map(
        (upper) =>
          sql`count(*) filter (where e.completed_at is not null and ${latency} <= ${sql.raw(String(upper))})::int`,
      ),
      sql`count(*) filter (where e.completed_at is not null)::int`,
    ],
    sql`, `,
  );
  // cumulative counts per bound (cheap to write as filters), turned into per-bucket counts by the reader
  return sql`
    select e.trigger_id as "triggerId", e.owner_id as "ownerId",
      date_trunc('hour', e.created_at, 'UTC') as hour, e.status,
      count(*)::int as events,
      count(*) filter (where e.batch_id is null or e.batch_id = e.id)::int as runs,
      array[${buckets}]::int[] as cumulative,
      coalesce(sum(e.input_tokens), 0)::bigint as "inputTokens",
      coalesce(sum(e.output_tokens), 0)::bigint as "outputTokens"
    from trigger_events e
    where ${where}
    group by 1, 2, 3, 4`;
}

/** Per-bucket counts from the cumulative ones hourlyAggregate selects. */
export function bucketsOf(cumulative: readonly (number | string)[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < cumulative.length; i++)
    out.push(Number(cumulative[i]) - (i ? Number(cumulative[i - 1]) : 0));
  return out;
}
