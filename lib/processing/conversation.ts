import "server-only";
import { and, desc, eq, gte, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import {
  contacts,
  conversations,
  messages,
  triggerEvents,
  type Conversation,
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
 * latest one still inside sessionDuration, else a new one (`created`). The user
 * message (the event itself) is recorded once, in the same transaction.
 */
export async function resolveConversation(
  db: Db,
  event: TriggerEvent,
  trigger: Pick<Trigger, "id" | "ownerId" | "name" | "sessionDuration" | "prompt">,
  botId: string | null,
  options: { run?: boolean } = {},
): Promise<Conversation & { created: boolean }> {
  if (event.conversationId) {
    const [existing] = await db
      .select()
      .from(conversations)
      .where(eq(conversations.id, event.conversationId));
    if (existing) return { ...existing, created: false };
  }
  const at = now();
  const contactId = event.contact ? await upsertContact(db, trigger.ownerId, event.contact) : null;
  const window = trigger.sessionDuration ?? DEFAULT_SESSION_DURATION_MS;
  let conversation: Conversation | undefined;
  if (event.sessionKey && window > 0) {
    [conversation] = await db
      .select()
      .from(conversations)
      .where(
        and(
          eq(conversations.triggerId, trigger.id),
          eq(conversations.sessionKey, event.sessionKey),
          gte(conversations.lastActivityAt, new Date(at.getTime() - window)),
        ),
      )
      .orderBy(desc(conversations.lastActivityAt))
      .limit(1);
  }
  const created = !conversation;
  return db.transaction(async (tx) => {
    if (!conversation) {
      [conversation] = await tx
        .insert(conversations)
        .values({
          id: newId("conversation"),
          ownerId: trigger.ownerId,
          triggerId: trigger.id,
          botId,
          contactId,
          sessionKey: event.sessionKey,
          name: trigger.name,
          lastActivityAt: at,
          createdAt: at,
        })
        .returning();
    } else {
      await tx
        .update(conversations)
        .set({ lastActivityAt: at })
        .where(eq(conversations.id, conversation.id));
    }
    const linked = await tx
      .update(triggerEvents)
      .set({ conversationId: conversation.id })
      .where(
        and(
          eq(triggerEvents.id, event.id),
          // for a run: only while the claim is its own (an event cancelled in a runner's buffer stops here)
          options.run ? eq(triggerEvents.status, "processing") : undefined,
          options.run ? eq(triggerEvents.attempts, event.attempts) : undefined,
        ),
      )
      .returning({ id: triggerEvents.id });
    if (!linked.length) {
      const [now] = await tx
        .select({ status: triggerEvents.status })
        .from(triggerEvents)
        .where(eq(triggerEvents.id, event.id));
      throw new RunStopped(now?.status === "cancelled" ? "cancelled" : "lost");
    }
    await recordEventMessage(tx, event, trigger, conversation.id, at);
    return { ...conversation, created };
  });
}

/**
 * The event as the conversation's user message (once per event), and why part of the prompt
 * came out empty if it did. Also for the events a batch run takes in beside its first.
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
      // the payload itself stays on the event (stored once); message lists join it back in
      meta: {
        step: "event",
        kind: event.kind,
        contentType: event.contentType,
        headers: description.headers,
        contact: event.contact,
        session: sessionLabel(event.sessionKey),
        scheduledFor: event.scheduledFor?.toISOString() ?? null,
        ...(event.batchId && event.batchId !== event.id && { batchId: event.batchId }),
      },
      createdAt: at,
    })
    .onConflictDoNothing();
  if (description.missing.length) {
    const list = description.missing.map((p) => `{{${p}}}`).join(", ");
    await recordActivity(tx, {
      ownerId: trigger.ownerId,
      conversationId,
      eventId: event.id,
      text: `The prompt's ${list} had no value in this event and rendered empty`,
      meta: { step: "prompt", missing: description.missing },
      createdAt: at,
    });
  }
  return description;
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
