import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import {
  abilities,
  bots,
  conversations,
  messages,
  triggerEvents,
  triggers,
  type TriggerEvent,
} from "@/db/schema";
import { now } from "@/lib/clock";
import { newId } from "@/lib/ids";
import { MAX_ATTEMPTS, renewLease } from "./claim";
import { loadHistory, resolveConversation } from "./conversation";
import { describeEvent } from "./describe";
import { touchTrigger } from "./last-trigger";
import { PermanentError } from "./errors";
import { runBot } from "./run-bot";

export { PermanentError };

const BACKOFF_MS = [2_000, 10_000, 30_000];

/**
 * Processes a claimed event: conversation and user message, bot run with its
 * abilities (each call recorded as an activity), the bot reply, then
 * `completed`. Every record is written once per event even when the run is
 * retried; the final write is fenced on the claim (attempts), so a run that
 * lost its claim records nothing.
 */
export async function processClaimedEvent(event: TriggerEvent): Promise<"completed" | "gone"> {
  const db = await getDb();
  const [row] = await db
    .select({ trigger: triggers, bot: bots })
    .from(triggers)
    .leftJoin(bots, eq(bots.id, triggers.botId))
    .where(eq(triggers.id, event.triggerId));
  if (!row) return "gone"; // trigger deleted: its events went with it
  const { trigger, bot } = row;
  if (!bot) throw new PermanentError("The trigger's bot no longer exists");

  const conversation = await resolveConversation(db, event, trigger, bot.id);
  const tools = bot.skillsetId
    ? await db.select().from(abilities).where(eq(abilities.skillsetId, bot.skillsetId))
    : [];
  const history = await loadHistory(db, conversation.id, event.id);
  const heartbeat = setInterval(() => void renewLease(event).catch(() => {}), 10_000);
  let reply: { text: string };
  try {
    reply = await runBot({
      bot,
      trigger,
      event,
      userText: describeEvent(event).text,
      history,
      abilities: tools,
      onToolCall: async (call, index) => {
        await db
          .insert(messages)
          .values({
            id: newId("message"),
            ownerId: event.ownerId,
            conversationId: conversation.id,
            eventId: event.id,
            type: "activity",
            text: call.error ? `${call.name} failed: ${call.error}` : `${call.name} called`,
            meta: {
              step: `tool:${index}`,
              tool: call.name,
              input: call.input,
              output: call.output ?? null,
              error: call.error ?? null,
              durationMs: call.durationMs,
            },
            createdAt: now(),
          })
          .onConflictDoNothing();
      },
    });
  } finally {
    clearInterval(heartbeat);
  }

  const at = now();
  await db
    .transaction(async (tx) => {
      const done = await tx
        .update(triggerEvents)
        .set({
          status: "completed",
          completedAt: new Date(),
          error: null,
          lockedUntil: null,
          updatedAt: new Date(),
        })
        .where(
          and(
            eq(triggerEvents.id, event.id),
            eq(triggerEvents.status, "processing"),
            eq(triggerEvents.attempts, event.attempts),
          ),
        )
        .returning({ id: triggerEvents.id });
      if (!done.length) throw new LostClaimError();
      await tx
        .insert(messages)
        .values({
          id: newId("message"),
          ownerId: event.ownerId,
          conversationId: conversation.id,
          eventId: event.id,
          type: "bot",
          text: reply.text,
          meta: { step: "reply", model: bot.model },
          createdAt: at,
        })
        .onConflictDoNothing();
      await tx
        .update(conversations)
        .set({ lastActivityAt: at, updatedAt: at })
        .where(eq(conversations.id, conversation.id));
    })
    .catch((error) => {
      if (error instanceof LostClaimError) return; // another worker owns the event now
      throw error;
    });
  touchTrigger(trigger.id, event.createdAt);
  return "completed";
}

class LostClaimError extends Error {}

/**
 * After a failed attempt: back to `queued` with back-off, or, after the last
 * attempt (or a permanent error), `failed` with the error on the event and as
 * an activity message in its conversation. Nothing disappears silently.
 */
export async function recordFailure(
  event: TriggerEvent,
  error: unknown,
  options: { final?: boolean } = {},
): Promise<"retry" | "failed"> {
  const db = await getDb();
  const message = error instanceof Error ? error.message : String(error);
  const final = options.final || error instanceof PermanentError || event.attempts >= MAX_ATTEMPTS;
  const fence = and(
    eq(triggerEvents.id, event.id),
    eq(triggerEvents.attempts, event.attempts),
    sql`${triggerEvents.status} in ('queued', 'processing')`,
  );
  if (!final) {
    const delay = BACKOFF_MS[Math.min(event.attempts - 1, BACKOFF_MS.length - 1)];
    await db
      .update(triggerEvents)
      .set({
        status: "queued",
        error: message,
        lockedUntil: new Date(Date.now() + delay),
        updatedAt: new Date(),
      })
      .where(fence);
    return "retry";
  }
  // Make sure the event shows in a conversation even if it failed before one was made.
  let conversationId = event.conversationId;
  if (!conversationId) {
    try {
      const [t] = await db.select().from(triggers).where(eq(triggers.id, event.triggerId));
      if (t) conversationId = (await resolveConversation(db, event, t, t.botId)).id;
    } catch (e) {
      console.error("[processing] could not record the failed event in a conversation", e);
    }
  }
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(triggerEvents)
      .set({
        status: "failed",
        error: message,
        completedAt: new Date(),
        lockedUntil: null,
        updatedAt: new Date(),
        conversationId,
      })
      .where(fence)
      .returning({ id: triggerEvents.id });
    if (!updated.length || !conversationId) return;
    await tx
      .insert(messages)
      .values({
        id: newId("message"),
        ownerId: event.ownerId,
        conversationId,
        eventId: event.id,
        type: "activity",
        text: `Processing failed after ${event.attempts} attempt${event.attempts === 1 ? "" : "s"}: ${message}`,
        meta: { step: "failure", error: message, attempts: event.attempts },
        createdAt: now(),
      })
      .onConflictDoNothing();
  });
  return "failed";
}

/** One attempt: process, and on error record the failure (retry or failed). */
export async function attemptEvent(
  event: TriggerEvent,
): Promise<"completed" | "gone" | "retry" | "failed"> {
  try {
    return await processClaimedEvent(event);
  } catch (error) {
    console.warn(
      `[processing] ${event.id} attempt ${event.attempts} failed:`,
      error instanceof Error ? error.message : error,
    );
    return recordFailure(event, error);
  }
}
