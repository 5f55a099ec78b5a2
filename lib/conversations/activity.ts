import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { tsParam } from "@/db/sql-values";
import { conversations, messages } from "@/db/schema";
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
 * dropped (messages_event_step_uq). A conversation deleted meanwhile (by its
 * owner, or by retention while its event waited for an approval) gets nothing
 * and fails nobody: the write selects the conversation it goes into, so it
 * cannot break the foreign key (and the decision, expiry or cancellation that
 * writes it goes on). `db` may be a transaction.
 */
export async function recordActivity(db: Pick<Db, "insert">, a: Activity) {
  await db
    .insert(messages)
    .select((qb) =>
      qb
        .select({
          id: sql<string>`${newId("message")}`.as("id"),
          ownerId: sql<string>`${a.ownerId}`.as("owner_id"),
          conversationId: conversations.id,
          eventId: sql<string | null>`${a.eventId}::text`.as("event_id"),
          type: sql<"activity">`'activity'`.as("type"),
          text: sql<string>`${a.text}`.as("text"),
          meta: sql<Record<string, unknown>>`${JSON.stringify(a.meta)}::jsonb`.as("meta"),
          createdAt: (a.createdAt ? tsParam(a.createdAt) : sql`now()`).as("created_at"),
        })
        .from(conversations)
        .where(eq(conversations.id, a.conversationId))
        // a delete committing meanwhile: the row drops out (no foreign-key error)
        .for("key share"),
    )
    .onConflictDoNothing();
}
