import "server-only";
import { and, inArray, lt } from "drizzle-orm";
import { getDb } from "@/db/client";
import { triggerEvents } from "@/db/schema";
import { env } from "@/lib/core/env";
import { idBefore } from "@/lib/core/ids";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * One batch of finished events created more than EVENT_RETENTION_DAYS before
 * `at` (their conversations and messages stay); how many went.
 */
export async function deleteExpiredEvents(at: Date, batch: number): Promise<number> {
  const days = env().EVENT_RETENTION_DAYS;
  if (days <= 0) return 0;
  const db = await getDb();
  // ids sort by creation time: the primary key finds the old ones without another index
  const before = idBefore("event", new Date(at.getTime() - days * DAY_MS));
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
    .limit(batch);
  const deleted = await db
    .delete(triggerEvents)
    .where(inArray(triggerEvents.id, old))
    .returning({ id: triggerEvents.id });
  return deleted.length;
}
