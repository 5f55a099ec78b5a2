import { randomBytes } from "node:crypto";

// Crockford base32, as ULID uses: ids sort by creation time as plain strings,
// which is what cursor pagination on (owner_id, id) relies on.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

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

let lastTime = 0;
let lastRandom: number[] = [];

function encodeTime(ms: number): string {
  let out = "";
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

/** Increments the random part so ids made in the same millisecond still sort in creation order. */
function nextRandom(now: number): number[] {
  if (now === lastTime && lastRandom.length) {
    const r = [...lastRandom];
    for (let i = r.length - 1; i >= 0; i--) {
      if (r[i] < 31) {
        r[i]++;
        return r;
      }
      r[i] = 0;
    }
  }
  return Array.from(randomBytes(16), (b) => b % 32);
}

export function newId(prefix: IdPrefix): string {
  const now = Math.max(Date.now(), lastTime);
  lastRandom = nextRandom(now);
  lastTime = now;
  return `${prefix}_${encodeTime(now)}${lastRandom.map((n) => ALPHABET[n]).join("")}`;
}

const ID_SHAPE = /^[a-z]+_[0-9A-HJKMNP-TV-Z]{26}$/;

export function looksLikeId(prefix: IdPrefix, value: string): boolean {
  return value.startsWith(`${prefix}_`) && ID_SHAPE.test(value);
}
