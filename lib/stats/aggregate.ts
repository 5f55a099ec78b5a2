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
 * One row per (trigger, hour or minute of arrival in UTC, status) for the
 * events of `scope` that arrived in [from, to): count, end-to-end latency
 * buckets (finished events only) and tokens. Shared by the rollups (which store
 * it) and the live tail after their watermarks (which reads it), so all count
 * the same way. `margin` widens the scan by ids below `from`: the full clock
 * margin for the rollups; the live tail takes a narrow one (an event whose id
 * is older than that is counted by the next minute's rollup, never twice).
 */
export function statsAggregate(
  scope: SQL,
  {
    from,
    to,
    unit = "hour",
    margin = CLOCK_MARGIN_MS,
  }: { from: Date; to?: Date; unit?: "hour" | "minute"; margin?: number },
) {
  const where = sql`${scope}
    and e.id >= ${idBefore("event", new Date(from.getTime() - margin))}
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
      date_trunc(${sql.raw(`'${unit}'`)}, e.created_at, 'UTC') as at, e.status,
      count(*)::int as events,
      count(*) filter (where e.batch_id is null or e.batch_id = e.id)::int as runs,
      array[${buckets}]::int[] as cumulative,
      coalesce(sum(e.input_tokens), 0)::bigint as "inputTokens",
      coalesce(sum(e.output_tokens), 0)::bigint as "outputTokens"
    from trigger_events e
    where ${where}
    group by 1, 2, 3, 4`;
}

/** Rolled-up rows' per-bucket latency counts from the cumulative ones statsAggregate selects (in SQL). */
export const rolledBuckets = sql`(select array_agg(c - coalesce(lag, 0) order by i) from (
  select c, i, lag(c) over (order by i) as lag from unnest(a.cumulative) with ordinality as u(c, i)
) d)`;

/** Per-bucket counts from the cumulative ones statsAggregate selects. */
export function bucketsOf(cumulative: readonly (number | string)[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < cumulative.length; i++)
    out.push(Number(cumulative[i]) - (i ? Number(cumulative[i - 1]) : 0));
  return out;
}
