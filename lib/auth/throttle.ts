import "server-only";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { authThrottle } from "@/db/schema";
import { env } from "@/lib/env";

// Token buckets in the database (every server shares them, and they survive a
// restart): a bucket holds up to `perHour` tokens and refills at that rate.
// Sign-up takes a token per attempt. Sign-in takes one before the password is
// checked (so parallel guesses cannot all slip past a check) and gives it back
// when the password was right: a team signing in from one office address is
// never slowed by its own successes.

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

/**
 * Takes a token from every bucket; refused when one is empty (it never goes
 * below -1). A refused attempt gives back what it took from the others, so
 * one empty bucket does not drain the rest.
 */
export async function takeBuckets(buckets: Bucket[]): Promise<Throttled> {
  const db = await getDb();
  const taken: Bucket[] = [];
  for (const b of buckets) {
    const [row] = await db
      .insert(authThrottle)
      .values({ key: b.key, tokens: b.perHour - 1, updatedAt: sql`now()` })
      .onConflictDoUpdate({
        target: authThrottle.key,
        set: { tokens: sql`greatest(-1, ${level(b)} - 1)`, updatedAt: sql`now()` },
      })
      .returning({ tokens: authThrottle.tokens });
    if (row.tokens < 0) {
      await refundBuckets(taken);
      return { ok: false, retryAfterSeconds: wait(row.tokens + 1, b.perHour) };
    }
    taken.push(b);
  }
  return { ok: true };
}

/** Gives back what `takeBuckets` took (a sign-in that succeeded was not a guess). */
export async function refundBuckets(buckets: Bucket[]) {
  const db = await getDb();
  for (const b of buckets) {
    await db
      .update(authThrottle)
      .set({ tokens: sql`least(${b.perHour}::float8, ${authThrottle.tokens} + 1)` })
      .where(eq(authThrottle.key, b.key));
  }
}

/**
 * An address as a throttle key: IPv4 as is, IPv6 by its /64 (one customer's
 * network hands out a whole /64, so counting single addresses would not count).
 */
export function addressKey(address: string): string {
  if (!address.includes(":") || /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address))
    return address.replace(/^::ffff:/i, "");
  try {
    const canonical = new URL(`http://[${address.replace(/^\[|\]$/g, "")}]/`).hostname.slice(1, -1);
    const [head, tail] = canonical.includes("::") ? canonical.split("::") : [canonical, ""];
    const left = head ? head.split(":") : [];
    const right = tail ? tail.split(":") : [];
    const groups = [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
    return `${groups.slice(0, 4).join(":")}::/64`;
  } catch {
    return address;
  }
}

const e = () => env();
/**
 * Sign-in attempts: per address, per (email, address), and per email from
 * anywhere with a looser allowance, so a stranger guessing at one account
 * cannot lock its owner out from the owner's own address.
 */
export const signInBuckets = (ip: string, email: string): Bucket[] => {
  const address = addressKey(ip);
  const mail = email.toLowerCase();
  const perEmail = e().AUTH_FAILURES_PER_EMAIL_PER_HOUR;
  return [
    { key: `signin:ip:${address}`, perHour: e().AUTH_FAILURES_PER_IP_PER_HOUR },
    { key: `signin:email-ip:${mail}:${address}`, perHour: perEmail },
    { key: `signin:email:${mail}`, perHour: perEmail * 5 },
  ];
};
export const signUpBuckets = (ip: string, email: string): Bucket[] => [
  { key: `signup:ip:${addressKey(ip)}`, perHour: e().AUTH_SIGNUPS_PER_IP_PER_HOUR },
  { key: `signup:email:${email.toLowerCase()}`, perHour: e().AUTH_FAILURES_PER_EMAIL_PER_HOUR },
];

/** Buckets untouched for a day are full again: delete them (from the maintenance sweep). */
export async function pruneThrottle() {
  const db = await getDb();
  await db.delete(authThrottle).where(sql`${authThrottle.updatedAt} < now() - interval '1 day'`);
}
