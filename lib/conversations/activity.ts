import "server-only";
import type { Db } from "@/db/client";
import { messages } from "@/db/schema";
import { newId } from "@/lib/core/ids";

/** What an activity message records; `step` names it within its event (unique per event). */
export type Activity = {
  ownerId: string;
  conversationId: string;
  eventId: string | null;
  text: string;
  meta: { step: string } & Record<string, unknown>;
  createdAt?: Date;
};

/**
 * The one way an activity message (a tool call, a failure, a cancellation, a
 * note about the prompt) is written to a conversation. A run is retried, so
 * the same step of the same event is recorded once: a second write of it is
 * dropped (messages_event_step_uq). `db` may be a transaction.
 */
export async function recordActivity(db: Pick<Db, "insert">, a: Activity) {
  await db
    .insert(messages)
    .values({
      id: newId("message"),
      ownerId: a.ownerId,
      conversationId: a.conversationId,
      eventId: a.eventId,
      type: "activity",
      text: a.text,
      meta: a.meta,
      ...(a.createdAt && { createdAt: a.createdAt }),
    })
    .onConflictDoNothing();
}
