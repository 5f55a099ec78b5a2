import "server-only";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { authThrottle } from "@/db/schema";
import { env } from "@/lib/core/env";

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
 * Password attempts that may refuse: per address and per (email, address).
 * Only addresses that keep failing are stopped, so a stranger guessing at an
 * account from anywhere never locks its owner out of their own address.
 */
export const signInBuckets = (ip: string, email: string): Bucket[] => {
  const address = addressKey(ip);
  const mail = email.toLowerCase();
  return [
    { key: `signin:ip:${address}`, perHour: e().AUTH_FAILURES_PER_IP_PER_HOUR },
    { key: `signin:email-ip:${mail}:${address}`, perHour: e().AUTH_FAILURES_PER_EMAIL_PER_HOUR },
  ];
};

/** Wrong passwords for an account from anywhere: when it runs dry, wrong answers come slowly. */
const accountBucket = (email: string): Bucket => ({
  key: `signin:email:${email.toLowerCase()}`,
  perHour: e().AUTH_FAILURES_PER_EMAIL_PER_HOUR * 5,
});

/** How long a wrong password waits for its answer while its account is under attack. */
export const UNDER_ATTACK_DELAY_MS = 1000;

export type PasswordCheck = "ok" | "wrong" | { throttled: number };

/**
 * The one way a password is checked (sign-in, password change, re-authentication):
 * refused without checking when this address has been failing (for the account
 * or at all); a right password gives back what it took; a wrong one also counts
 * against the account, and once the account has drawn many failures, wrong
 * answers are slowed for every address, but a right password never is.
 */
export async function checkPasswordThrottled(
  address: string,
  email: string,
  check: () => Promise<boolean>,
): Promise<PasswordCheck> {
  const buckets = signInBuckets(address, email);
  const taken = await takeBuckets(buckets);
  if (!taken.ok) return { throttled: taken.retryAfterSeconds };
  if (await check()) {
    await refundBuckets(buckets);
    return "ok";
  }
  if (!(await takeBuckets([accountBucket(email)])).ok)
    await new Promise((r) => setTimeout(r, UNDER_ATTACK_DELAY_MS));
  return "wrong";
}
export const signUpBuckets = (ip: string, email: string): Bucket[] => [
  { key: `signup:ip:${addressKey(ip)}`, perHour: e().AUTH_SIGNUPS_PER_IP_PER_HOUR },
  { key: `signup:email:${email.toLowerCase()}`, perHour: e().AUTH_FAILURES_PER_EMAIL_PER_HOUR },
];

/** Buckets untouched for a day are full again: delete them (from the maintenance sweep). */
export async function pruneThrottle() {
  const db = await getDb();
  await db.delete(authThrottle).where(sql`${authThrottle.updatedAt} < now() - interval '1 day'`);
}
