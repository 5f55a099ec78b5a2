import "server-only";
import { eq, sql } from "drizzle-orm";
import { getRunDb } from "@/db/client";
import { abilities, triggerEvents, triggers, type TriggerEvent } from "@/db/schema";
import { recordActivity } from "@/lib/conversations/activity";
import { isDatabaseUnavailable, PermanentError } from "@/lib/core/errors";
import { addToMonth, checkBudget } from "@/lib/stats/usage";
import { errorField, log } from "@/lib/observability/log";
import { metrics } from "@/lib/observability/metrics";
import { eventTrace, inSpan, pastSpan, tracing } from "@/lib/observability/trace";
import { handBack } from "./claim";
import { completeEvent } from "./complete";
import { loadHistory, resolveConversation } from "./conversation";
import { joinRun, newerInSession, recordMembers, runMembers } from "./batch";
import { describeEvent, describeRun } from "./event-message";
import { recordFailure } from "./failure";
import { touchTrigger } from "./last-trigger";
import { runBot, type ModelCallRecord } from "./run-bot";
import { loadRunContexts, type RunContext } from "./run-context";
import { backToWaiting, decisionsToResume, recordedCalls, suspendEvent } from "./suspend";
import { abilityTools, offeredTools } from "@/lib/abilities/tools";
import { notify, sendOutbox } from "@/lib/outbox/enqueue";
import { RunControl, RunStopped, type StopReason } from "./run-control";

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
  context?: RunContext,
): Promise<"completed" | "waiting" | "gone" | StopReason> {
  // the heartbeat renews the claim from the start: on a starved server the loading below can
  // take longer than a short lease, and a lapsed lease hands the event to another server
  control.start();
  const db = await getRunDb();
  // read with the claim (lib/processing/runner.ts) when it was just made, else here
  control.step = "loading the trigger";
  const row = context ?? (await loadRunContexts(db, [event.triggerId])).get(event.triggerId);
  if (!row) return "gone"; // trigger deleted: its events went with it
  const { trigger, bot } = row;
  if (!bot) throw new PermanentError("The trigger's bot no longer exists");
  checkBudget(trigger);
  // a run that waited for decisions resumes from its state once every call is decided
  control.step = "reading decisions";
  const decisions = await decisionsToResume(event);
  if (decisions === "waiting") {
    await backToWaiting(db, event);
    return "waiting";
  }

  control.step = "recording the event in its conversation";
  const conversation = await resolveConversation(db, event, trigger, bot.id, { run: true }).catch(
    (error) => {
      if (error instanceof RunStopped) control.stop(error.reason);
      throw error;
    },
  );
  control.conversationId = conversation.id;
  // a batch: the run's other events are recorded in its conversation and read with it
  control.step = "reading the run's other events";
  const members = await runMembers(db, event);
  await recordMembers(db, members, trigger, conversation.id);
  const message = describeRun([event, ...members], trigger);
  // the trigger narrows what its bot is offered: the others are not tools the model sees at all
  const tools = offeredTools(
    trigger.abilities,
    abilityTools(
      bot.skillsetId
        ? await db.select().from(abilities).where(eq(abilities.skillsetId, bot.skillsetId))
        : [],
    ),
  );
  // a conversation made for this event has no earlier turns: one query less per sessionless event
  const history = conversation.created
    ? []
    : await loadHistory(db, conversation.id, [event.id, ...members.map((m) => m.id)]);
  // a retried or resumed run answers the calls it made already from their records
  const recorded =
    event.attempts > 1 || event.runState ? await recordedCalls(db, event.id) : undefined;
  let reply: Awaited<ReturnType<typeof runBot>>;
  control.step = "running the bot";
  try {
    reply = await runBot({
      bot,
      trigger,
      event,
      message,
      history,
      tools,
      resume: event.runState && decisions ? { state: event.runState, decisions } : undefined,
      recorded,
      signal: control.signal,
      checkpoint: () => control.checkpoint(),
      onModelCall: (call) => chargeModelCall(event, trigger.id, bot.model, call),
      busy:
        trigger.onBusy !== "queue" && event.sessionKey
          ? {
              policy: trigger.onBusy,
              join: async () =>
                (await joinRun(db, event, trigger, conversation.id)).map((m) =>
                  describeEvent(m, trigger),
                ),
              newer: () => newerInSession(db, event),
            }
          : undefined,
      onToolCall: (call, index) =>
        recordActivity(db, {
          ownerId: event.ownerId,
          conversationId: conversation.id,
          eventId: event.id,
          text: call.error ? `${call.name} failed: ${call.error}` : `${call.name} called`,
          meta: {
            step: `tool:${index}`,
            tool: call.name,
            input: call.input,
            output: call.output ?? null,
            error: call.error ?? null,
            durationMs: call.durationMs,
            toolCallId: call.toolCallId,
          },
        }),
    });
  } finally {
    control.finish();
  }

  // a run stopped meanwhile (its claim lost, or given up by the runner) records nothing
  if (control.stopped) throw control.signal.reason;
  if (reply.status === "waiting") {
    control.step = "suspending for approval";
    const suspended = await suspendEvent(db, {
      event,
      trigger,
      conversationId: conversation.id,
      outcome: reply,
      tools,
    });
    if (suspended) await sendOutbox(); // approval.requested notifications
    return suspended ? "waiting" : "lost";
  }

  control.step = "completing";
  const finished = await completeEvent(db, event, conversation.id, {
    text: reply.text,
    meta: { step: "reply", model: bot.model, modelCalls: reply.modelCalls },
  });
  // A run that lost its claim leaves the trigger's lastTriggerAt to the run that holds it.
  if (!finished) return "lost";
  touchTrigger(trigger.id, event.createdAt);
  // a reply waits in the outbox: wake its delivery (notifications are found by its next pass)
  if (trigger.reply) await sendOutbox();
  return "completed";
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
  const db = await getRunDb();
  await db
    .update(triggerEvents)
    .set({
      inputTokens: sql`coalesce(${triggerEvents.inputTokens}, 0) + ${input}`,
      outputTokens: sql`coalesce(${triggerEvents.outputTokens}, 0) + ${output}`,
    })
    .where(eq(triggerEvents.id, event.id));
  if (input + output > 0) {
    const [t] = await db
      .update(triggers)
      .set(addToMonth(input + output))
      .where(eq(triggers.id, triggerId))
      .returning({
        used: triggers.tokensUsed,
        month: triggers.tokensMonth,
        budget: triggers.monthlyTokenBudget,
      });
    // the call that spent the budget tells the owner's endpoints, once a month
    if (t?.budget !== null && t && t.used >= t.budget && t.used - input - output < t.budget)
      await notify(
        db,
        event.ownerId,
        "budget.exceeded",
        `budget.exceeded:${triggerId}:${t.month?.toISOString().slice(0, 7)}`,
        { triggerId, tokensUsed: t.used, monthlyTokenBudget: t.budget },
        { triggerId, eventId: event.id },
      );
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
  context?: RunContext,
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
      const result = await attempt(event, control, context);
      span?.setAttribute("event.outcome", result);
      return result;
    },
    parent,
  );
  const seconds = (performance.now() - started) / 1000;
  // the runner gave it up and counted it then (lib/processing/runner.ts)
  if (control.abandoned) return outcome;
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

export type AttemptOutcome =
  "completed" | "waiting" | "gone" | "retry" | "failed" | "orphaned" | StopReason;

async function attempt(
  event: TriggerEvent,
  control: RunControl,
  context?: RunContext,
): Promise<AttemptOutcome> {
  try {
    const outcome = await processClaimedEvent(event, control, context);
    // a renewal still in flight when the final write committed changes nothing: it completed
    if (outcome === "completed" || outcome === "waiting") return outcome;
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
