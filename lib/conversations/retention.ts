import "server-only";
import { and, inArray, lt } from "drizzle-orm";
import { getDb } from "@/db/client";
import { conversations } from "@/db/schema";
import { env } from "@/lib/core/env";
import { idBefore } from "@/lib/core/ids";

const DAY_MS = 24 * 60 * 60 * 1000;

/** One batch of conversations idle for CONVERSATION_RETENTION_DAYS (unset: none); how many went. */
export async function deleteIdleConversations(at: Date, batch: number): Promise<number> {
  const days = env().CONVERSATION_RETENTION_DAYS;
  if (!days) return 0;
  const db = await getDb();
  const cutoff = new Date(at.getTime() - days * DAY_MS);
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
    .limit(batch);
  const deleted = await db
    .delete(conversations)
    .where(inArray(conversations.id, old))
    .returning({ id: conversations.id });
  return deleted.length;
}
