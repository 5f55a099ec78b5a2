import "server-only";
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { conversations, messages, triggerEvents, type TriggerEvent } from "@/db/schema";
import { now } from "@/lib/core/clock";
import { newId } from "@/lib/core/ids";
import { notificationRows, replyRow } from "@/lib/outbox/enqueue";

/**
 * Completes the event if this run still holds it (status and attempt unchanged), with the other
 * events of its run, records the bot's reply, writes the reply and the event.completed
 * notifications to the outbox and touches the conversation: one statement, so all of it or none of it is
 * stored (it replaced a transaction of five statements, a third of the database work of a
 * run on the embedded database). False: another run owns the event now.
 */
export async function completeEvent(
  db: Db,
  event: TriggerEvent,
  conversationId: string,
  reply: { text: string; meta: Record<string, unknown> },
): Promise<boolean> {
  // the session window is a rule of the clock module's time (lib/core/clock.ts)
  const at = now().toISOString();
  const result = await db.execute(sql`
    with done as (
      update ${triggerEvents}
      set status = 'completed', completed_at = now(), error = null, locked_until = null,
        run_state = null,
        updated_at = now()
      where id = ${event.id} and status = 'processing' and attempts = ${event.attempts}
      returning id
    ), members as (
      -- the run's other events (a batch, or events that joined it) finish with it
      update ${triggerEvents}
      set status = 'completed', completed_at = now(), error = null, locked_until = null,
        conversation_id = ${conversationId}, updated_at = now()
      where batch_id = ${event.id} and id <> ${event.id} and status = 'batched'
        and exists (select 1 from done)
    ), replied as (
      -- what leaves the server is written with the run's end, once (lib/outbox)
      ${replyRow(event, conversationId, reply.text, sql`exists (select 1 from done)`)}
    ), notified as (
      ${notificationRows(
        event.ownerId,
        "event.completed",
        `event.completed:${event.id}`,
        { eventId: event.id, triggerId: event.triggerId, conversationId, reply: reply.text },
        { triggerId: event.triggerId, eventId: event.id, conversationId },
        sql`exists (select 1 from done)`,
      )}
    ), reply as (
      insert into ${messages} (id, owner_id, conversation_id, event_id, type, text, meta, created_at)
      select ${newId("message")}, ${event.ownerId}, ${conversationId}, done.id, 'bot', ${reply.text},
        ${JSON.stringify(reply.meta)}::text::jsonb, ${at}::text::timestamptz
      from done
      on conflict do nothing
    ), touched as (
      update ${conversations}
      set last_activity_at = ${at}::text::timestamptz, updated_at = now()
      where id = ${conversationId} and exists (select 1 from done)
    )
    select count(*)::int as completed from done`);
  return rowsOf<{ completed: number }>(result)[0]?.completed === 1;
}
