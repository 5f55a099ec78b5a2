import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { triggers, type Trigger } from "@/db/schema";

// The event endpoint reads its trigger on every request; a two-second cache
// takes that query off the hot path. This server forgets an entry as soon as
// it changes the trigger; other servers see a change within TTL_MS (a deleted
// trigger's events then fail on the foreign key and answer 404).
const TTL_MS = 2000;
const MAX = 10_000;
const g = globalThis as unknown as {
  __triggerCache?: Map<string, { trigger: Trigger; expires: number }>;
};
const cache = (g.__triggerCache ??= new Map());

let sweptAt = 0;

export async function findTriggerCached(id: string): Promise<Trigger | undefined> {
  const at = Date.now();
  // Expired rows go within a TTL of any later lookup, with what hangs off them (the trigger's
  // opened secrets, lib/events/verify.ts), not only when their own trigger is asked for again.
  if (at - sweptAt > TTL_MS) {
    sweptAt = at;
    for (const [key, entry] of cache) if (entry.expires <= at) cache.delete(key);
  }
  const hit = cache.get(id);
  if (hit && hit.expires > at) return hit.trigger;
  const db = await getDb();
  const [trigger] = await db.select().from(triggers).where(eq(triggers.id, id)).limit(1);
  cache.delete(id); // re-inserted at the end: the first entry is always the oldest
  if (trigger) {
    if (cache.size >= MAX) cache.delete(cache.keys().next().value!);
    cache.set(id, { trigger, expires: Date.now() + TTL_MS });
  }
  return trigger;
}

export function forgetTrigger(id: string) {
  cache.delete(id);
}
