import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getDb, rowsOf, type Db } from "@/db/client";
import {
  abilities,
  bots,
  conversations,
  messages,
  triggerEvents,
  triggers,
  type TriggerEvent,
} from "@/db/schema";
import { isDatabaseUnavailable } from "@/lib/api/errors";
import { now } from "@/lib/clock";
import { newId } from "@/lib/ids";
import { handBack, MAX_ATTEMPTS } from "./claim";
import { loadHistory, resolveConversation } from "./conversation";
import { describeEvent } from "./describe";
import { touchTrigger } from "./last-trigger";
import { PermanentError } from "./errors";
import { addToMonth, checkBudget } from "@/lib/stats/usage";
import { errorField, log } from "@/lib/observability/log";
import { metrics } from "@/lib/observability/metrics";
import { eventTrace, inSpan, pastSpan, tracing } from "@/lib/observability/trace";
import { runBot, type ModelCallRecord } from "./run-bot";
import { RunControl, RunStopped, type StopReason } from "./run-control";

export { PermanentError };

const BACKOFF_MS = [2_000, 10_000, 30_000];

/**
 * Processes a claimed event: conversation and user message, bot run with its
 * abilities (each call recorded as an activity), the bot reply, then
 * `completed`. Every record is written once per event even when the run is
 * retried; the final write is fenced on the claim (attempts), so a run that
 * lost its claim records nothing.
 */
export async function processClaimedEvent(
  event: TriggerEvent,
  control: RunControl,
): Promise<"completed" | "gone" | StopReason> {
  const db = await getDb();
  const [row] = await db
    .select({ trigger: triggers, bot: bots })
    .from(triggers)
    .leftJoin(bots, eq(bots.id, triggers.botId))
    .where(eq(triggers.id, event.triggerId));
  if (!row) return "gone"; // trigger deleted: its events went with it
  const { trigger, bot } = row;
  if (!bot) throw new PermanentError("The trigger's bot no longer exists");
  checkBudget(trigger);

  const conversation = await resolveConversation(db, event, trigger, bot.id, { run: true }).catch(
    (error) => {
      if (error instanceof RunStopped) control.stop(error.reason);
      throw error;
    },
  );
  control.conversationId = conversation.id;
  const message = describeEvent(event, trigger);
  const tools = bot.skillsetId
    ? await db.select().from(abilities).where(eq(abilities.skillsetId, bot.skillsetId))
    : [];
  // a conversation made for this event has no earlier turns: one query less per sessionless event
  const history = conversation.created ? [] : await loadHistory(db, conversation.id, event.id);
  control.start();
  let reply: Awaited<ReturnType<typeof runBot>>;
  try {
    reply = await runBot({
      bot,
      trigger,
      event,
      message,
      history,
      abilities: tools,
      signal: control.signal,
      checkpoint: () => control.checkpoint(),
      onModelCall: (call) => chargeModelCall(event, trigger.id, bot.model, call),
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
    control.finish();
  }

  const finished = await completeEvent(db, event, conversation.id, {
    text: reply.text,
    meta: { step: "reply", model: bot.model, modelCalls: reply.modelCalls },
  });
  // A run that lost its claim leaves the trigger's lastTriggerAt to the run that holds it.
  if (!finished) return "lost";
  touchTrigger(trigger.id, event.createdAt);
  return "completed";
}

/**
 * Completes the event if this run still holds it (status and attempt unchanged), records the
 * bot's reply and touches the conversation: one statement, so all of it or none of it is
 * stored (it replaced a transaction of five statements, a third of the database work of a
 * run on the embedded database). False: another run owns the event now.
 */
export async function completeEvent(
  db: Db,
  event: TriggerEvent,
  conversationId: string,
  reply: { text: string; meta: Record<string, unknown> },
): Promise<boolean> {
  const at = now().toISOString();
  const result = await db.execute(sql`
    with done as (
      update ${triggerEvents}
      set status = 'completed', completed_at = now(), error = null, locked_until = null,
        updated_at = now()
      where id = ${event.id} and status = 'processing' and attempts = ${event.attempts}
      returning id
    ), reply as (
      insert into ${messages} (id, owner_id, conversation_id, event_id, type, text, meta, created_at)
      select ${newId("message")}, ${event.ownerId}, ${conversationId}, done.id, 'bot', ${reply.text},
        ${JSON.stringify(reply.meta)}::text::jsonb, ${at}::text::timestamptz
      from done
      on conflict do nothing
    ), touched as (
      update ${conversations}
      set last_activity_at = ${at}::text::timestamptz, updated_at = ${at}::text::timestamptz
      where id = ${conversationId} and exists (select 1 from done)
    )
    select count(*)::int as completed from done`);
  return rowsOf<{ completed: number }>(result)[0]?.completed === 1;
}

/**
 * A model call's tokens, charged as it finishes: to the event (summed over its
 * attempts) and to the trigger's month, whether the run then completes, fails,
 * is retried or loses its claim: the model was paid either way, so a run that
 * keeps failing cannot spend past the budget unseen.
 */
async function chargeModelCall(
  event: TriggerEvent,
  triggerId: string,
  model: string,
  call: ModelCallRecord,
) {
  const m = metrics();
  m.modelCalls.inc({ model });
  const input = call.inputTokens ?? 0;
  const output = call.outputTokens ?? 0;
  if (input) m.modelTokens.inc({ model, kind: "input" }, input);
  if (output) m.modelTokens.inc({ model, kind: "output" }, output);
  if (call.inputTokens === null && call.outputTokens === null) return;
  const db = await getDb();
  await db
    .update(triggerEvents)
    .set({
      inputTokens: sql`coalesce(${triggerEvents.inputTokens}, 0) + ${input}`,
      outputTokens: sql`coalesce(${triggerEvents.outputTokens}, 0) + ${output}`,
    })
    .where(eq(triggerEvents.id, event.id));
  if (input + output > 0)
    await db
      .update(triggers)
      .set(addToMonth(input + output))
      .where(eq(triggers.id, triggerId));
}

/**
 * After a failed attempt: back to `queued` with back-off, or, after the last
 * attempt (or a permanent error), `failed` with the error on the event and as
 * an activity message in its conversation. Nothing disappears silently.
 */
export async function recordFailure(
  event: TriggerEvent,
  error: unknown,
  /** backoff: false when the job engine does the back-off itself (Inngest). */
  options: { final?: boolean; backoff?: boolean } = {},
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
    const delay =
      options.backoff === false
        ? 0
        : BACKOFF_MS[Math.min(event.attempts - 1, BACKOFF_MS.length - 1)];
    await db
      .update(triggerEvents)
      .set({
        status: "queued",
        error: message,
        lockedUntil: sql`now() + ${delay} * interval '1 millisecond'`,
        updatedAt: sql`now()`,
      })
      .where(fence);
    return "retry";
  }
  const conversationId = await conversationFor(event);
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(triggerEvents)
      .set({
        status: "failed",
        error: message,
        completedAt: sql`now()`,
        lockedUntil: null,
        updatedAt: sql`now()`,
        conversationId,
      })
      .where(fence)
      .returning({ id: triggerEvents.id });
    if (updated.length && conversationId)
      await insertFailureNote(tx, event, conversationId, failureText(event.attempts, message));
  });
  return "failed";
}

const failureText = (attempts: number, message: string) =>
  `Processing failed after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${message}`;

/** The event's conversation, made now if it failed before one was (so the failure shows somewhere). */
async function conversationFor(event: TriggerEvent): Promise<string | null> {
  if (event.conversationId) return event.conversationId;
  const db = await getDb();
  try {
    const [t] = await db.select().from(triggers).where(eq(triggers.id, event.triggerId));
    return t ? (await resolveConversation(db, event, t, t.botId)).id : null;
  } catch (e) {
    log().error(
      { event: event.id, trigger: event.triggerId, error: errorField(e) },
      "could not record the failed event in a conversation",
    );
    return null;
  }
}

async function insertFailureNote(
  tx: Pick<Db, "insert">,
  event: TriggerEvent,
  conversationId: string,
  text: string,
) {
  await tx
    .insert(messages)
    .values({
      id: newId("message"),
      ownerId: event.ownerId,
      conversationId,
      eventId: event.id,
      type: "activity",
      text,
      meta: { step: "failure", error: event.error ?? text, attempts: event.attempts },
      createdAt: now(),
    })
    .onConflictDoNothing();
}

/** Poison events (their runs kept dying with the process) were failed when claimed: say so in their conversations. */
export async function notePoisoned(events: TriggerEvent[]) {
  const db = await getDb();
  for (const event of events) {
    log().warn(
      { event: event.id, trigger: event.triggerId, error: event.error },
      "poison event failed",
    );
    const conversationId = await conversationFor(event);
    if (!conversationId) continue;
    await db.update(triggerEvents).set({ conversationId }).where(eq(triggerEvents.id, event.id));
    await insertFailureNote(db, event, conversationId, `Processing failed: ${event.error}`);
  }
}

/**
 * One attempt: process, and on error record the failure (retry or failed). A
 * stopped run records nothing of its own: a lost claim belongs to the run
 * that took it over, a shut-down server hands the event back uncharged, and a
 * cancelled event stays cancelled. "orphaned": the database went away in the
 * middle (nothing could be recorded, not even the failure); the event is not
 * at fault, so the runner hands it back uncharged once the database answers.
 */
export async function attemptEvent(
  event: TriggerEvent,
  control = new RunControl(event),
): Promise<AttemptOutcome> {
  const started = performance.now();
  const attrs = {
    "event.id": event.id,
    "trigger.id": event.triggerId,
    "event.attempt": event.attempts,
  };
  // the event's own trace (a hash of its id): worked out only when spans are exported
  const parent = tracing() ? eventTrace(event.id) : undefined;
  if (parent) pastSpan("event.claim", attrs, event.startedAt ?? new Date(), parent);
  const outcome = await inSpan(
    "event.process",
    attrs,
    async (span) => {
      const result = await attempt(event, control);
      span?.setAttribute("event.outcome", result);
      return result;
    },
    parent,
  );
  const seconds = (performance.now() - started) / 1000;
  const m = metrics();
  m.processing.observe({ outcome }, seconds);
  if (outcome === "completed" || outcome === "failed")
    m.endToEnd.observe({ status: outcome }, (Date.now() - event.createdAt.getTime()) / 1000);
  log().info(
    {
      event: event.id,
      trigger: event.triggerId,
      owner: event.ownerId,
      conversation: control.conversationId ?? event.conversationId,
      attempt: event.attempts,
      outcome,
      durationMs: Math.round(seconds * 1000),
    },
    "event processed",
  );
  return outcome;
}

type AttemptOutcome = "completed" | "gone" | "retry" | "failed" | "orphaned" | StopReason;

async function attempt(event: TriggerEvent, control: RunControl): Promise<AttemptOutcome> {
  try {
    const outcome = await processClaimedEvent(event, control);
    // a renewal still in flight when the final write committed changes nothing: it completed
    if (outcome === "completed") return outcome;
    return control.stopped === "unreachable" ? "orphaned" : (control.stopped ?? outcome);
  } catch (error) {
    const stopped = control.stopped;
    if (stopped === "shutdown") await handBack([event]).catch(() => {});
    if (stopped === "unreachable") return "orphaned";
    if (stopped) return stopped;
    log().warn(
      {
        event: event.id,
        trigger: event.triggerId,
        attempt: event.attempts,
        error: errorField(error),
      },
      "attempt failed",
    );
    try {
      return await recordFailure(event, error);
    } catch (recording) {
      if (!isDatabaseUnavailable(recording)) throw recording;
      return "orphaned";
    }
  } finally {
    control.finish();
  }
}
