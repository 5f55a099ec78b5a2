/** Upper bounds (ms) of the end-to-end latency buckets the hourly rollup counts in; the last is open. */
export const LATENCY_BUCKETS_MS = [
  100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000,
] as const;

/** Adds bucket counts (arrays may be empty: an hour with no finished event). */
export function addBuckets(into: number[], add: readonly number[]) {
  for (let i = 0; i < add.length; i++) into[i] = (into[i] ?? 0) + Number(add[i]);
  return into;
}

/**
 * The q-quantile (0.5, 0.95) of a bucketed latency, in ms, interpolated inside
 * its bucket (as Prometheus' histogram_quantile does); null without samples.
 */
export function quantile(buckets: readonly number[], q: number): number | null {
  const total = buckets.reduce((a, b) => a + b, 0);
  if (!total) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    if (seen + buckets[i] >= rank && buckets[i] > 0) {
      const lower = i === 0 ? 0 : LATENCY_BUCKETS_MS[i - 1];
      // the open last bucket has no upper bound: report its lower bound
      if (i >= LATENCY_BUCKETS_MS.length) return lower;
      const upper = LATENCY_BUCKETS_MS[i];
      return Math.round(lower + ((upper - lower) * (rank - seen)) / buckets[i]);
    }
    seen += buckets[i];
  }
  return LATENCY_BUCKETS_MS.at(-1)!;
}
