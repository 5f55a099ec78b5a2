import "server-only";
import { and, count, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Db } from "@/db/client";
import {
  contacts,
  conversations,
  messages,
  triggerEvents,
  type Contact,
  type Conversation,
  type Message,
  type TriggerEvent,
} from "@/db/schema";
import { idRef, iso } from "@/lib/core/fields";
import { getOwnedOrThrow } from "@/db/owned";
import { cursorClauses, metaMatches, toPage } from "@/db/pages";
import { listWithMetaQuerySchema, type ListQuery } from "@/lib/core/list-query";

export const listConversationsQuerySchema = listWithMetaQuerySchema.extend({
  triggerId: idRef.optional(),
  botId: idRef.optional(),
  contactId: idRef.optional(),
});

export const serializeConversation = (c: Conversation) => ({
  id: c.id,
  name: c.name,
  triggerId: c.triggerId,
  botId: c.botId,
  contactId: c.contactId,
  sessionKey: c.sessionKey,
  meta: c.meta,
  lastActivityAt: iso(c.lastActivityAt),
  createdAt: iso(c.createdAt),
  updatedAt: iso(c.updatedAt),
});

export const serializeMessage = (m: Message) => ({
  id: m.id,
  conversationId: m.conversationId,
  eventId: m.eventId,
  type: m.type,
  text: m.text,
  meta: m.meta,
  createdAt: iso(m.createdAt),
});

export const serializeContact = (c: Contact) => ({
  id: c.id,
  name: c.name,
  email: c.email,
  phone: c.phone,
  meta: c.meta,
  createdAt: iso(c.createdAt),
  updatedAt: iso(c.updatedAt),
});

type Owner = { ownerId: string };

export async function listConversations({
  ownerId,
  query,
}: Owner & { query: z.infer<typeof listConversationsQuerySchema> }) {
  const db = await getDb();
  const c = cursorClauses(conversations.id, query);
  const filters: (SQL | undefined)[] = [eq(conversations.ownerId, ownerId), c.where];
  if (query.triggerId) filters.push(eq(conversations.triggerId, query.triggerId));
  if (query.botId) filters.push(eq(conversations.botId, query.botId));
  if (query.contactId) filters.push(eq(conversations.contactId, query.contactId));
  filters.push(metaMatches(conversations.meta, query.meta));
  const rows = await db
    .select()
    .from(conversations)
    .where(and(...filters))
    .orderBy(c.orderBy)
    .limit(c.limit);
  const summaries = await summariesOf(
    db,
    rows.map((r) => r.id),
    rows.map((r) => r.contactId).filter((id): id is string => id !== null),
  );
  return toPage(
    rows.map((r) => ({ ...serializeConversation(r), ...summaries(r.id, r.contactId) })),
    query.take,
  );
}

/**
 * What a list row shows beside the name: the message count, the last message,
 * the latest event's status and kind (a manual or scheduled run says so) and the
 * contact; three queries for the whole page, not three per row.
 */
type ConversationSummary = {
  messageCount: number;
  lastMessage: { type: Message["type"]; text: string; createdAt: string | null } | null;
  latestEvent: { id: string; status: TriggerEvent["status"]; kind: TriggerEvent["kind"] } | null;
  contact: { name: string | null; email: string | null; phone: string | null } | null;
};

async function summariesOf(
  db: Db,
  ids: string[],
  contactIds: string[],
): Promise<(id: string, contactId: string | null) => ConversationSummary> {
  if (!ids.length)
    return () => ({ messageCount: 0, lastMessage: null, latestEvent: null, contact: null });
  const counts = await db
    .select({ id: messages.conversationId, n: count() })
    .from(messages)
    .where(inArray(messages.conversationId, ids))
    .groupBy(messages.conversationId);
  const last = await db
    .selectDistinctOn([messages.conversationId], {
      id: messages.conversationId,
      type: messages.type,
      text: messages.text,
      createdAt: messages.createdAt,
    })
    .from(messages)
    .where(inArray(messages.conversationId, ids))
    .orderBy(messages.conversationId, desc(messages.id));
  const events = await db
    .selectDistinctOn([triggerEvents.conversationId], {
      id: triggerEvents.conversationId,
      eventId: triggerEvents.id,
      status: triggerEvents.status,
      kind: triggerEvents.kind,
    })
    .from(triggerEvents)
    .where(inArray(triggerEvents.conversationId, ids))
    .orderBy(triggerEvents.conversationId, desc(triggerEvents.id));
  const people = contactIds.length
    ? await db
        .select({
          id: contacts.id,
          name: contacts.name,
          email: contacts.email,
          phone: contacts.phone,
        })
        .from(contacts)
        .where(inArray(contacts.id, [...new Set(contactIds)]))
    : [];
  const byId = <T extends { id: string | null }>(list: T[]) => new Map(list.map((x) => [x.id, x]));
  const [countOf, lastOf, eventOf, contactOf] = [
    byId(counts),
    byId(last),
    byId(events),
    byId(people),
  ];
  return (id: string, contactId: string | null) => {
    const m = lastOf.get(id);
    const e = eventOf.get(id);
    const who = contactId ? contactOf.get(contactId) : undefined;
    return {
      messageCount: countOf.get(id)?.n ?? 0,
      lastMessage: m
        ? { type: m.type, text: m.text.slice(0, 200), createdAt: iso(m.createdAt) }
        : null,
      latestEvent: e ? { id: e.eventId, status: e.status, kind: e.kind } : null,
      contact: who ? { name: who.name, email: who.email, phone: who.phone } : null,
    };
  };
}

export async function fetchConversation({ ownerId, id }: Owner & { id: string }) {
  const db = await getDb();
  const conversation = await getOwnedOrThrow(db, conversations, id, ownerId, "Conversation");
  // the runs' tokens, summed over the conversation's events (trigger_events_conversation_idx)
  const [usage] = await db
    .select({
      inputTokens: sql<number>`coalesce(sum(${triggerEvents.inputTokens}), 0)::int`,
      outputTokens: sql<number>`coalesce(sum(${triggerEvents.outputTokens}), 0)::int`,
    })
    .from(triggerEvents)
    .where(eq(triggerEvents.conversationId, id));
  return {
    ...serializeConversation(conversation),
    usage: { inputTokens: Number(usage.inputTokens), outputTokens: Number(usage.outputTokens) },
  };
}

export async function deleteConversation({ ownerId, id }: Owner & { id: string }) {
  const db = await getDb();
  await getOwnedOrThrow(db, conversations, id, ownerId, "Conversation");
  await db
    .delete(conversations)
    .where(and(eq(conversations.id, id), eq(conversations.ownerId, ownerId)));
  return { id };
}

export async function listMessages({
  ownerId,
  conversationId,
  query,
}: Owner & { conversationId: string; query: ListQuery }) {
  const db = await getDb();
  await getOwnedOrThrow(db, conversations, conversationId, ownerId, "Conversation");
  const c = cursorClauses(messages.id, query);
  const rows = await db
    .select({ message: messages, payload: triggerEvents.payload, stored: triggerEvents.id })
    .from(messages)
    .leftJoin(triggerEvents, and(eq(triggerEvents.id, messages.eventId), eq(messages.type, "user")))
    .where(and(eq(messages.conversationId, conversationId), eq(messages.ownerId, ownerId), c.where))
    .orderBy(c.orderBy)
    .limit(c.limit);
  return toPage(
    rows.map(({ message, payload, stored }) =>
      serializeMessage(withPayload(message, payload, stored !== null)),
    ),
    query.take,
  );
}

/**
 * The event's payload is stored once, on the event; a user message shows it
 * while the event exists (EVENT_RETENTION_DAYS), and says when it is gone.
 */
function withPayload(m: Message, payload: unknown, stored: boolean): Message {
  if (m.type !== "user" || !m.eventId) return m;
  return { ...m, meta: { ...m.meta, payload, ...(!stored && { payloadDeleted: true }) } };
}

export async function listContacts({
  ownerId,
  query,
}: Owner & { query: ListQuery & { meta?: Record<string, string> } }) {
  const db = await getDb();
  const c = cursorClauses(contacts.id, query);
  const rows = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.ownerId, ownerId), c.where, metaMatches(contacts.meta, query.meta)))
    .orderBy(c.orderBy)
    .limit(c.limit);
  return toPage(rows.map(serializeContact), query.take);
}

export async function fetchContact({ ownerId, id }: Owner & { id: string }) {
  const db = await getDb();
  return serializeContact(await getOwnedOrThrow(db, contacts, id, ownerId, "Contact"));
}
