import "server-only";
import { errorField, log } from "@/lib/observability/log";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { triggers } from "@/db/schema";

// A token bucket per trigger, in this server's memory: cheap enough to sit in
// front of the database on the hot path. With several servers each enforces
// the limit on its own share of the traffic.
type Bucket = { tokens: number; updated: number };
const MAX_BUCKETS = 50_000;

const g = globalThis as unknown as {
  __rateBuckets?: Map<string, Bucket>;
  __rateRejected?: Map<string, number>;
  __rateFlush?: NodeJS.Timeout;
};
const buckets = (g.__rateBuckets ??= new Map());
const rejected = (g.__rateRejected ??= new Map());

/** Takes `cost` tokens (one per event); when too few are left, says how many seconds until they are. */
export function takeToken(
  triggerId: string,
  perSecond: number,
  burst: number,
  cost = 1,
  now = Date.now(),
): { ok: true } | { ok: false; retryAfterSeconds: number } {
  let b = buckets.get(triggerId);
  if (!b) {
    if (buckets.size >= MAX_BUCKETS) buckets.delete(buckets.keys().next().value!);
    b = { tokens: burst, updated: now };
    buckets.set(triggerId, b);
  }
  b.tokens = Math.min(burst, b.tokens + ((now - b.updated) / 1000) * perSecond);
  b.updated = now;
  if (b.tokens >= cost) {
    b.tokens -= cost;
    return { ok: true };
  }
  countRejection(triggerId);
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((cost - b.tokens) / perSecond)) };
}

/** Rejections are counted per trigger and written once a second, not one row per request. */
function countRejection(triggerId: string) {
  rejected.set(triggerId, (rejected.get(triggerId) ?? 0) + 1);
  if (!g.__rateFlush) {
    g.__rateFlush = setTimeout(() => void flushRejections(), 1000);
    g.__rateFlush.unref();
  }
}

export async function flushRejections() {
  g.__rateFlush = undefined;
  const pending = [...rejected.entries()];
  rejected.clear();
  if (!pending.length) return;
  try {
    const db = await getDb();
    for (const [id, n] of pending) {
      await db
        .update(triggers)
        .set({ rejectedCount: sql`${triggers.rejectedCount} + ${n}` })
        .where(eq(triggers.id, id));
    }
  } catch (error) {
    log().warn({ error: errorField(error) }, "could not record rejected counts");
  }
}
