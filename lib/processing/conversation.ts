import "server-only";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { tsParam } from "@/db/sql-values";
import {
  contacts,
  conversations,
  messages,
  triggerEvents,
  type Trigger,
  type TriggerEvent,
} from "@/db/schema";
import { recordActivity } from "@/lib/conversations/activity";
import { now } from "@/lib/core/clock";
import { sessionLabel } from "@/lib/events/session-key";
import { newId } from "@/lib/core/ids";
import { DEFAULT_SESSION_DURATION_MS } from "@/lib/triggers/schema";
import { describeEvent } from "./event-message";
import { RunStopped } from "./run-control";

/** Found or created, unique per owner by email, else by phone, else (known by nothing else) by name. */
async function upsertContact(
  db: Db,
  ownerId: string,
  c: NonNullable<TriggerEvent["contact"]>,
): Promise<string | null> {
  const email = c.email?.trim().toLowerCase() || null;
  const phone = c.phone?.trim() || null;
  const name = c.name?.trim() || null;
  if (!email && !phone && !name) return null;
  const where = email
    ? and(eq(contacts.ownerId, ownerId), eq(contacts.email, email))
    : phone
      ? and(eq(contacts.ownerId, ownerId), eq(contacts.phone, phone))
      : and(
          eq(contacts.ownerId, ownerId),
          eq(contacts.name, name!),
          isNull(contacts.email),
          isNull(contacts.phone),
        );
  const [found] = await db.select({ id: contacts.id }).from(contacts).where(where).limit(1);
  if (found) return found.id;
  const [created] = await db
    .insert(contacts)
    .values({ id: newId("contact"), ownerId, name, email, phone })
    .onConflictDoNothing()
    .returning({ id: contacts.id });
  if (created) return created.id;
  const [raced] = await db.select({ id: contacts.id }).from(contacts).where(where).limit(1);
  return raced?.id ?? null;
}

/**
 * The event's conversation: the one from an earlier attempt, else the session's
 * latest one still inside sessionDuration, else a new one (`created`). One
 * statement finds or makes it, links the event (for a run: only while the claim
 * is its own, so an event cancelled in a runner's buffer stops here) and records
 * the event as its user message, once: all of it or none (it replaced a
 * transaction of five round trips, the most of any step of a run).
 */
export async function resolveConversation(
  db: Db,
  event: TriggerEvent,
  trigger: Pick<Trigger, "id" | "ownerId" | "name" | "sessionDuration" | "prompt">,
  botId: string | null,
  options: { run?: boolean } = {},
): Promise<{ id: string; created: boolean }> {
  if (event.conversationId) {
    const [existing] = await db
      .select({ id: conversations.id })
      .from(conversations)
      .where(eq(conversations.id, event.conversationId));
    if (existing) return { id: existing.id, created: false };
  }
  const at = now();
  const contactId = event.contact ? await upsertContact(db, trigger.ownerId, event.contact) : null;
  const window = trigger.sessionDuration ?? DEFAULT_SESSION_DURATION_MS;
  const description = describeEvent(event, trigger);
  const fresh = newId("conversation");
  const found =
    event.sessionKey && window > 0
      ? sql`select id from ${conversations}
          where trigger_id = ${trigger.id} and session_key = ${event.sessionKey}
            and last_activity_at >= ${tsParam(new Date(at.getTime() - window))}
          order by last_activity_at desc limit 1`
      : sql`select null::text as id where false`;
  const result = await db.execute(sql`
    with found as (${found}), linked as (
      update ${triggerEvents} set conversation_id = coalesce((select id from found), ${fresh}),
        updated_at = now()
      where id = ${event.id}
        ${options.run ? sql`and status = 'processing' and attempts = ${event.attempts}` : sql``}
      returning conversation_id
    ), created as (
      insert into ${conversations}
        (id, owner_id, trigger_id, bot_id, contact_id, session_key, name, last_activity_at, created_at)
      select ${fresh}, ${trigger.ownerId}, ${trigger.id}, ${botId}, ${contactId}, ${event.sessionKey},
        ${trigger.name}, ${tsParam(at)}, ${tsParam(at)}
      where exists (select 1 from linked) and not exists (select 1 from found)
    ), touched as (
      update ${conversations} set last_activity_at = ${tsParam(at)}, updated_at = now()
      where id = (select id from found) and exists (select 1 from linked)
    ), message as (
      insert into ${messages} (id, owner_id, conversation_id, event_id, type, text, meta, created_at)
      select ${newId("message")}, ${trigger.ownerId}, conversation_id, ${event.id}, 'user',
        ${description.text}, ${JSON.stringify(userMessageMeta(event, description))}::text::jsonb,
        ${tsParam(at)}
      from linked
      on conflict do nothing
    )
    select conversation_id as id, not exists (select 1 from found) as created from linked`);
  const [linked] = rowsOf<{ id: string; created: boolean }>(result);
  if (!linked) {
    const [row] = await db
      .select({ status: triggerEvents.status })
      .from(triggerEvents)
      .where(eq(triggerEvents.id, event.id));
    throw new RunStopped(row?.status === "cancelled" ? "cancelled" : "lost");
  }
  await notePromptGaps(db, event, trigger, linked.id, description.missing, at);
  return linked;
}

/**
 * The event as the conversation's user message (once per event), and why part of the prompt
 * came out empty if it did: for the events a batch run takes in beside its first.
 */
export async function recordEventMessage(
  tx: Pick<Db, "insert">,
  event: TriggerEvent,
  trigger: Pick<Trigger, "ownerId" | "name" | "prompt">,
  conversationId: string,
  at = now(),
) {
  const description = describeEvent(event, trigger);
  await tx
    .insert(messages)
    .values({
      id: newId("message"),
      ownerId: trigger.ownerId,
      conversationId,
      eventId: event.id,
      type: "user",
      text: description.text,
      meta: userMessageMeta(event, description),
      createdAt: at,
    })
    .onConflictDoNothing();
  await notePromptGaps(tx, event, trigger, conversationId, description.missing, at);
  return description;
}

/** The user message's meta: the payload itself stays on the event (stored once); lists join it. */
function userMessageMeta(event: TriggerEvent, description: ReturnType<typeof describeEvent>) {
  return {
    step: "event",
    kind: event.kind,
    contentType: event.contentType,
    headers: description.headers,
    contact: event.contact,
    session: sessionLabel(event.sessionKey),
    scheduledFor: event.scheduledFor?.toISOString() ?? null,
    ...(event.batchId && event.batchId !== event.id && { batchId: event.batchId }),
  };
}

/** Placeholders of the prompt the event had no value for, noted once beside its message. */
async function notePromptGaps(
  db: Pick<Db, "insert">,
  event: TriggerEvent,
  trigger: Pick<Trigger, "ownerId">,
  conversationId: string,
  missing: string[],
  at: Date,
) {
  if (!missing.length) return;
  await recordActivity(db, {
    ownerId: trigger.ownerId,
    conversationId,
    eventId: event.id,
    text: `The prompt's ${missing.map((p) => `{{${p}}}`).join(", ")} had no value in this event and rendered empty`,
    meta: { step: "prompt", missing },
    createdAt: at,
  });
}

/** The conversation so far (user and bot turns of other runs), oldest first, for the model. */
export async function loadHistory(
  db: Db,
  conversationId: string,
  runEventIds: string[],
  limit = 20,
) {
  const rows = await db
    .select({ type: messages.type, text: messages.text })
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, conversationId),
        sql`${messages.type} in ('user', 'bot')`,
        sql`coalesce(${messages.eventId}, '') not in (${sql.join(
          runEventIds.map((id) => sql`${id}`),
          sql`, `,
        )})`,
      ),
    )
    .orderBy(desc(messages.id))
    .limit(limit);
  return rows.reverse();
}
