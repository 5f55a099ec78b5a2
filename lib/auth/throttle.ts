import "server-only";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { authThrottle } from "@/db/schema";
import { env } from "@/lib/env";

// Token buckets in the database (every server shares them, and they survive a
// restart): a bucket holds up to `perHour` tokens and refills at that rate.
// Sign-up takes a token per attempt; sign-in takes one per failure, so a team
// signing in from one office address is never slowed by its own successes.

export type Throttled = { ok: true } | { ok: false; retryAfterSeconds: number };

type Bucket = { key: string; perHour: number };

const level = (b: Bucket) =>
  sql`least(${b.perHour}::float8, ${authThrottle.tokens} + extract(epoch from now() - ${authThrottle.updatedAt}) * ${b.perHour / 3600}::float8)`;

const wait = (tokens: number, perHour: number) =>
  Math.max(1, Math.ceil(((1 - tokens) * 3600) / perHour));

/** Whether every bucket still has a token, without taking one. */
export async function peekBuckets(buckets: Bucket[]): Promise<Throttled> {
  const db = await getDb();
  let retryAfterSeconds = 0;
  for (const b of buckets) {
    const [row] = await db
      .select({ tokens: level(b) })
      .from(authThrottle)
      .where(eq(authThrottle.key, b.key));
    if (row && Number(row.tokens) < 1)
      retryAfterSeconds = Math.max(retryAfterSeconds, wait(Number(row.tokens), b.perHour));
  }
  return retryAfterSeconds ? { ok: false, retryAfterSeconds } : { ok: true };
}

/** Takes a token from every bucket; refused when any was empty (it never goes below -1). */
export async function takeBuckets(buckets: Bucket[]): Promise<Throttled> {
  const db = await getDb();
  let retryAfterSeconds = 0;
  for (const b of buckets) {
    const [row] = await db
      .insert(authThrottle)
      .values({ key: b.key, tokens: b.perHour - 1, updatedAt: sql`now()` })
      .onConflictDoUpdate({
        target: authThrottle.key,
        set: { tokens: sql`greatest(-1, ${level(b)} - 1)`, updatedAt: sql`now()` },
      })
      .returning({ tokens: authThrottle.tokens });
    if (row.tokens < 0)
      retryAfterSeconds = Math.max(retryAfterSeconds, wait(row.tokens + 1, b.perHour));
  }
  return retryAfterSeconds ? { ok: false, retryAfterSeconds } : { ok: true };
}

const e = () => env();
export const signInFailureBuckets = (ip: string, email: string): Bucket[] => [
  { key: `signin:ip:${ip}`, perHour: e().AUTH_FAILURES_PER_IP_PER_HOUR },
  { key: `signin:email:${email.toLowerCase()}`, perHour: e().AUTH_FAILURES_PER_EMAIL_PER_HOUR },
];
export const signUpBuckets = (ip: string, email: string): Bucket[] => [
  { key: `signup:ip:${ip}`, perHour: e().AUTH_SIGNUPS_PER_IP_PER_HOUR },
  { key: `signup:email:${email.toLowerCase()}`, perHour: e().AUTH_FAILURES_PER_EMAIL_PER_HOUR },
];

/** Buckets untouched for a day are full again: delete them (from the maintenance sweep). */
export async function pruneThrottle() {
  const db = await getDb();
  await db.delete(authThrottle).where(sql`${authThrottle.updatedAt} < now() - interval '1 day'`);
}
