// The one place where a conversation's session key is built and read.
// "session:<key>" from ?session=, "contact:<email|phone|name>:<value>" from the
// contact when there is no session, "trigger" for schedule and manual runs.

export type EventContact = { name?: string; email?: string; phone?: string };

/** Schedule and invoke runs continue the trigger's own conversation. */
export const TRIGGER_SESSION_KEY = "trigger";

/**
 * With `session` that key; else the contact keys the conversation, by email,
 * then phone, then name (ChatBotKit: "a contact identifier keys the
 * conversation"); else none: a new conversation per event.
 */
export function sessionKeyFor(session: string | undefined, contact: EventContact): string | null {
  if (session) return `session:${session}`;
  if (contact.email) return `contact:email:${contact.email}`;
  if (contact.phone) return `contact:phone:${contact.phone}`;
  if (contact.name) return `contact:name:${contact.name}`;
  return null;
}

/** The key as a person reads it: "abc" for ?session=abc, else the key itself. */
export const sessionLabel = (key: string | null) =>
  key?.startsWith("session:") ? key.slice(8) : key;
