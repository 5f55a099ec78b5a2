import { randomBytes } from "node:crypto";

// Crockford base32: ids sort by creation time as plain strings, which is what
// cursor pagination on (owner_id, id) and per-session ordering rely on.
// Layout after the prefix: 10 characters of time, 16 of randomness (80 bits).
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** Time is counted in 1/256 ms: 256 ids fit in one millisecond before the clock must run ahead. */
const TICKS_PER_MS = 256;

export type IdPrefix =
  | "user"
  | "token"
  | "blueprint"
  | "bot"
  | "skillset"
  | "ability"
  | "trigger"
  | "event"
  | "contact"
  | "conversation"
  | "message";

const g = globalThis as unknown as { __lastIdTick?: number };

function encode(value: number, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) {
    out = ALPHABET[value % 32] + out;
    value = Math.floor(value / 32);
  }
  return out;
}

/**
 * Every id carries 80 fresh bits from the CSPRNG, so knowing one id tells
 * nothing about the next (an open trigger's id is its only credential). Order
 * within a process comes from the time part instead: each id takes the next
 * tick after the previous one (a logical clock 256 times finer than a
 * millisecond), never an incremented random part.
 */
export function newId(prefix: IdPrefix): string {
  const tick = Math.max(Date.now() * TICKS_PER_MS, (g.__lastIdTick ?? 0) + 1);
  g.__lastIdTick = tick;
  const random = randomBytes(10); // 80 bits, 5 bits per character
  let bits = 0n;
  for (const b of random) bits = (bits << 8n) | BigInt(b);
  let tail = "";
  for (let i = 0; i < 16; i++) {
    tail = ALPHABET[Number(bits & 31n)] + tail;
    bits >>= 5n;
  }
  return `${prefix}_${encode(tick, 10)}${tail}`;
}

/** The smallest id of `prefix` made at `at`: every id made before it sorts lower. */
export const idBefore = (prefix: IdPrefix, at: Date) =>
  `${prefix}_${encode(at.getTime() * TICKS_PER_MS, 10)}${"0".repeat(16)}`;

const ID_SHAPE = /^[a-z]+_[0-9A-HJKMNP-TV-Z]{26}$/;

export function looksLikeId(prefix: IdPrefix, value: string): boolean {
  return value.startsWith(`${prefix}_`) && ID_SHAPE.test(value);
}
