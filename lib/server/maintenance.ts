import "server-only";
import { pruneThrottle } from "@/lib/auth/throttle";
import { deleteIdleConversations } from "@/lib/conversations/retention";
import { now } from "@/lib/core/clock";
import { deleteExpiredDryRuns } from "@/lib/dry-runs/dry-run";
import { deleteExpiredEvents } from "@/lib/events/retention";

const BATCH = 500;

/**
 * Retention, in small batches so it never holds long locks: finished events
 * created more than EVENT_RETENTION_DAYS ago (conversations and their messages
 * stay), and with CONVERSATION_RETENTION_DAYS conversations idle that long;
 * then dry runs past their 7 days and the sign-in throttle's full buckets. Run once a minute by the inline
 * runner's timer or the Inngest tick.
 */
export async function deleteExpired(at = now(), budgetMs = 10_000) {
  const started = Date.now();
  const total = { events: 0, conversations: 0 };
  // batch after batch while there is more and the minute's budget lasts
  for (;;) {
    const events = await deleteExpiredEvents(at, BATCH);
    const conversations = await deleteIdleConversations(at, BATCH);
    total.events += events;
    total.conversations += conversations;
    if ((events < BATCH && conversations < BATCH) || Date.now() - started > budgetMs) break;
  }
  while ((await deleteExpiredDryRuns(at, BATCH)) === BATCH && Date.now() - started < budgetMs);
  await pruneThrottle();
  return total;
}
