import "server-only";
import { and, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { conversations, triggerEvents } from "@/db/schema";
import { pruneThrottle } from "@/lib/auth/throttle";
import { now } from "@/lib/clock";
import { env } from "@/lib/env";
import { idBefore } from "@/lib/ids";
import { failPoisoned } from "@/lib/processing/claim";
import { notePoisoned } from "@/lib/processing/process";
import { dispatchEvents } from "./index";

const BATCH = 500;
const DAY_MS = 24 * 60 * 60 * 1000;

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
    .set({ status: "queued", lockedUntil: null, updatedAt: sql`now()` })
    .where(and(eq(triggerEvents.status, "processing"), sql`${triggerEvents.lockedUntil} <= now()`))
    .returning({
      id: triggerEvents.id,
      triggerId: triggerEvents.triggerId,
      ownerId: triggerEvents.ownerId,
      sessionKey: triggerEvents.sessionKey,
    });
  const stale = await db
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
      ),
    )
    .limit(limit);
  const all = [...requeued, ...stale.filter((s) => !requeued.some((r) => r.id === s.id))];
  await dispatchEvents(all);
  return { redispatched: all.length, requeued: requeued.length, poisoned: poisoned.length };
}

/**
 * Retention, in small batches so it never holds long locks: finished events
 * created more than EVENT_RETENTION_DAYS ago (conversations and their messages
 * stay), and with CONVERSATION_RETENTION_DAYS conversations idle that long.
 */
export async function deleteExpired(at = now(), budgetMs = 10_000) {
  const started = Date.now();
  const total = { events: 0, conversations: 0 };
  // batch after batch while there is more and the minute's budget lasts
  for (;;) {
    const round = await deleteExpiredBatch(at);
    total.events += round.events;
    total.conversations += round.conversations;
    if ((round.events < BATCH && round.conversations < BATCH) || Date.now() - started > budgetMs)
      break;
  }
  await pruneThrottle();
  return total;
}

async function deleteExpiredBatch(at: Date) {
  const e = env();
  const db = await getDb();
  let events = 0;
  let convs = 0;
  if (e.EVENT_RETENTION_DAYS > 0) {
    // ids sort by creation time: the primary key finds the old ones without another index
    const before = idBefore("event", new Date(at.getTime() - e.EVENT_RETENTION_DAYS * DAY_MS));
    const old = db
      .select({ id: triggerEvents.id })
      .from(triggerEvents)
      .where(
        and(
          lt(triggerEvents.id, before),
          inArray(triggerEvents.status, ["completed", "failed", "cancelled", "filtered"]),
        ),
      )
      .orderBy(triggerEvents.id)
      .limit(BATCH);
    const deleted = await db
      .delete(triggerEvents)
      .where(inArray(triggerEvents.id, old))
      .returning({ id: triggerEvents.id });
    events = deleted.length;
  }
  if (e.CONVERSATION_RETENTION_DAYS) {
    const cutoff = new Date(at.getTime() - e.CONVERSATION_RETENTION_DAYS * DAY_MS);
    const old = db
      .select({ id: conversations.id })
      .from(conversations)
      .where(
        and(
          lt(conversations.id, idBefore("conversation", cutoff)),
          lt(conversations.lastActivityAt, cutoff),
        ),
      )
      .orderBy(conversations.id)
      .limit(BATCH);
    const deleted = await db
      .delete(conversations)
      .where(inArray(conversations.id, old))
      .returning({ id: conversations.id });
    convs = deleted.length;
  }
  return { events, conversations: convs };
}
