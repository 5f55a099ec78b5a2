import "server-only";
import { and, eq, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import {
  contacts,
  conversations,
  messages,
  triggerEvents,
  type Contact,
  type Conversation,
  type Message,
} from "@/db/schema";
import { idRef, iso } from "@/lib/api/fields";
import { getOwnedOrThrow } from "@/lib/api/owned";
import {
  cursorClauses,
  listWithMetaQuerySchema,
  metaMatches,
  toPage,
  type ListQuery,
} from "@/lib/api/pagination";

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
  return toPage(rows.map(serializeConversation), query.take);
}

export async function fetchConversation({ ownerId, id }: Owner & { id: string }) {
  const db = await getDb();
  return serializeConversation(
    await getOwnedOrThrow(db, conversations, id, ownerId, "Conversation"),
  );
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
