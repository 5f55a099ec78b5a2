import "server-only";
import { and, eq, isNull, or, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { triggerEvents, triggers } from "@/db/schema";
import { dispatchEvents } from "@/lib/jobs/dispatch";
import { failPoisoned } from "./claim";
import { notePoisoned } from "./failure";

const BATCH = 500;

/**
 * Inngest mode's safety net, run by the schedule tick: events stored but never
 * handed to Inngest (the send failed), handed over long ago and still queued,
 * or `processing` under a lease that ran out (the run died without Inngest
 * noticing) are queued and sent again; a poison event (out of attempts) fails.
 */
export async function redispatchStale(olderThanMs = 5 * 60_000, limit = BATCH) {
  const db = await getDb();
  const poisoned = await failPoisoned(db);
  await notePoisoned(poisoned);
  const requeued = await db
    .update(triggerEvents)
    .set({ status: "queued", lockedUntil: null })
    .where(and(eq(triggerEvents.status, "processing"), sql`${triggerEvents.lockedUntil} <= now()`))
    .returning({
      id: triggerEvents.id,
      triggerId: triggerEvents.triggerId,
      ownerId: triggerEvents.ownerId,
      sessionKey: triggerEvents.sessionKey,
    });
  const stale = await staleQueued(db, olderThanMs, limit);
  const all = [...requeued, ...stale.filter((s) => !requeued.some((r) => r.id === s.id))];
  await dispatchEvents(all);
  return { redispatched: all.length, requeued: requeued.length, poisoned: poisoned.length };
}

/**
 * Queued events Inngest should have by now but seems not to: never handed over (30 s after they
 * were stored) or handed over `olderThanMs` ago. Those sent longest ago come first, so a large
 * backlog is gone through in turn, not the same rows each time; a paused trigger's events wait
 * for its resume, which sends them.
 */
export function staleQueued(db: Db, olderThanMs: number, limit: number) {
  return db
    .select({
      id: triggerEvents.id,
      triggerId: triggerEvents.triggerId,
      ownerId: triggerEvents.ownerId,
      sessionKey: triggerEvents.sessionKey,
    })
    .from(triggerEvents)
    .where(
      and(
        eq(triggerEvents.status, "queued"),
        or(
          and(
            isNull(triggerEvents.dispatchedAt),
            sql`${triggerEvents.createdAt} < now() - interval '30 seconds'`,
          ),
          sql`${triggerEvents.dispatchedAt} < now() - ${olderThanMs} * interval '1 millisecond'`,
        ),
        sql`not exists (select 1 from ${triggers} tr
          where tr.id = ${triggerEvents.triggerId} and tr.paused_at is not null)`,
      ),
    )
    .orderBy(sql`${triggerEvents.dispatchedAt} asc nulls first`, triggerEvents.id)
    .limit(limit);
}
