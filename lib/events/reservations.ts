import { createHash } from "node:crypto";

// A 503 from the event endpoint must mean "not stored", so that a sender may
// always retry. A write cut off by the deadline (or a dropped connection) may
// still have committed, and the server cannot always know. So the event id of
// every request answered 503 is reserved for its retry: the same trigger,
// query and body within RESERVE_MS reuses that id, and the insert
// (ON CONFLICT (id) DO NOTHING) then either stores it now or finds the row the
// first attempt stored after all. Either way the sender's event exists once.
const RESERVE_MS = 15 * 60_000;
const MAX = 10_000;

const g = globalThis as unknown as {
  __eventReservations?: Map<string, { eventId: string; expires: number }>;
};
const reserved = (g.__eventReservations ??= new Map());

export function requestFingerprint(
  triggerId: string,
  search: string,
  contentType: string | null,
  body: Uint8Array,
): string {
  return createHash("sha256")
    .update(`${triggerId}\n${search}\n${contentType ?? ""}\n`)
    .update(body)
    .digest("base64url");
}

/** The id reserved for this request by an earlier 503, if any (cheap when none is reserved). */
export function reservedId(fingerprint: () => string): string | undefined {
  if (!reserved.size) return undefined;
  const key = fingerprint();
  const hit = reserved.get(key);
  if (!hit) return undefined;
  if (hit.expires < Date.now()) {
    reserved.delete(key);
    return undefined;
  }
  return hit.eventId;
}

export function reserve(fingerprint: string, eventId: string) {
  if (reserved.size >= MAX) reserved.delete(reserved.keys().next().value!);
  reserved.set(fingerprint, { eventId, expires: Date.now() + RESERVE_MS });
}

export function release(fingerprint: () => string) {
  if (reserved.size) reserved.delete(fingerprint());
}
