import "server-only";
import { and, desc, eq, gte, sql } from "drizzle-orm";
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
import { now } from "@/lib/clock";
import { newId } from "@/lib/ids";
import { DEFAULT_SESSION_DURATION_MS } from "@/lib/triggers/schema";
import { describeEvent } from "./describe";

/** Found or created, unique per owner by email, else by phone. */
async function upsertContact(
  db: Db,
  ownerId: string,
  c: NonNullable<TriggerEvent["contact"]>,
): Promise<string | null> {
  const email = c.email?.trim().toLowerCase() || null;
  const phone = c.phone?.trim() || null;
  if (!email && !phone) return null;
  const where = email
    ? and(eq(contacts.ownerId, ownerId), eq(contacts.email, email))
    : and(eq(contacts.ownerId, ownerId), eq(contacts.phone, phone!));
  const [found] = await db.select({ id: contacts.id }).from(contacts).where(where).limit(1);
  if (found) return found.id;
  const [created] = await db
    .insert(contacts)
    .values({ id: newId("contact"), ownerId, name: c.name?.trim() || null, email, phone })
    .onConflictDoNothing()
    .returning({ id: contacts.id });
  if (created) return created.id;
  const [raced] = await db.select({ id: contacts.id }).from(contacts).where(where).limit(1);
  return raced?.id ?? null;
}

/**
 * The event's conversation: the one from an earlier attempt, else the session's
 * latest one still inside sessionDuration, else a new one. The user message
 * (the event itself) is recorded once, in the same transaction.
 */
export async function resolveConversation(
  db: Db,
  event: TriggerEvent,
  trigger: Pick<Trigger, "id" | "ownerId" | "name" | "sessionDuration">,
  botId: string | null,
): Promise<Conversation> {
  if (event.conversationId) {
    const [existing] = await db
      .select()
      .from(conversations)
      .where(eq(conversations.id, event.conversationId));
    if (existing) return existing;
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
  const description = describeEvent(event);
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
        .set({ lastActivityAt: at, updatedAt: at })
        .where(eq(conversations.id, conversation.id));
    }
    await tx
      .update(triggerEvents)
      .set({ conversationId: conversation.id })
      .where(eq(triggerEvents.id, event.id));
    await tx
      .insert(messages)
      .values({
        id: newId("message"),
        ownerId: trigger.ownerId,
        conversationId: conversation.id,
        eventId: event.id,
        type: "user",
        text: description.text,
        // the payload itself stays on the event (stored once); message lists join it back in
        meta: {
          step: "event",
          kind: event.kind,
          contentType: event.contentType,
          contact: event.contact,
          session: sessionLabel(event.sessionKey),
          scheduledFor: event.scheduledFor?.toISOString() ?? null,
        },
        createdAt: at,
      })
      .onConflictDoNothing();
    return conversation;
  });
}

const sessionLabel = (key: string | null) => (key?.startsWith("session:") ? key.slice(8) : key);

/** The conversation so far (user and bot turns before this event), oldest first, for the model. */
export async function loadHistory(db: Db, conversationId: string, eventId: string, limit = 20) {
  const rows = await db
    .select({ type: messages.type, text: messages.text })
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, conversationId),
        sql`${messages.type} in ('user', 'bot')`,
        sql`${messages.eventId} is distinct from ${eventId}`,
      ),
    )
    .orderBy(desc(messages.id))
    .limit(limit);
  return rows.reverse();
}
