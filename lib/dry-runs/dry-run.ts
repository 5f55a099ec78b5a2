import "server-only";
import { and, asc, desc, eq, inArray, lt, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import {
  abilities,
  bots,
  dryRuns,
  messages,
  triggerEvents,
  type DryRun,
  type DryRunOverrides,
  type DryRunToolCall,
  type EventSnapshot,
  type Recording,
  type Trigger,
  type TriggerEvent,
} from "@/db/schema";
import { ApiError } from "@/lib/core/errors";
import { now } from "@/lib/core/clock";
import { iso } from "@/lib/core/fields";
import { newId } from "@/lib/core/ids";
import { abilityTools, offeredTools } from "@/lib/abilities/tools";
import { modelChoiceError } from "@/lib/models";
import { metrics } from "@/lib/observability/metrics";
import { describeRun } from "@/lib/processing/event-message";
import { runBot } from "@/lib/processing/run-bot";
import { INTERRUPTED, recordedAnswers } from "@/lib/processing/tools";
import { DRY_RUN_KEEP_DAYS } from "./schema";
import { inOwnersShare } from "./slots";

// A dry run is the bot's real run code (lib/processing/run-bot.ts: the same system prompt, data
// card, history and tools) on a stored event with the executor in recorded mode: every ability
// call is answered from what the original run recorded, so nothing leaves the server; no
// reply target or notification fires; the event and its conversation are not written. Only the
// result is stored, for DRY_RUN_KEEP_DAYS.

const DAY_MS = 24 * 3_600_000;

/** What a dry run runs on: an event as the model read it, the recordings, the original outcome. */
export type DryRunSubject = {
  events: EventSnapshot[];
  history: { type: string; text: string }[];
  recordings: Recording[];
  originalReply: string | null;
};

export const snapshotEvent = (e: TriggerEvent): EventSnapshot => ({
  id: e.id,
  kind: e.kind,
  payload: e.payload,
  contentType: e.contentType,
  headers: e.headers,
  contact: e.contact,
  sessionKey: e.sessionKey,
  cloudEvent: e.cloudEvent,
  scheduledFor: iso(e.scheduledFor),
  createdAt: iso(e.createdAt),
});

/**
 * A stored event as a dry run reads it: the events its run read (a batch's, in order), the
 * conversation's turns before it, the tool calls its run recorded and its reply.
 */
export async function subjectOf(db: Db, event: TriggerEvent): Promise<DryRunSubject> {
  // an event that went into another's run is tried as that run: its events, calls and reply
  if (event.batchId && event.batchId !== event.id) {
    const [lead] = await db
      .select()
      .from(triggerEvents)
      .where(and(eq(triggerEvents.id, event.batchId), eq(triggerEvents.ownerId, event.ownerId)));
    if (lead) return subjectOf(db, lead);
  }
  const runId = event.id;
  const [members, steps] = await Promise.all([
    event.batchId === event.id
      ? db
          .select()
          .from(triggerEvents)
          .where(and(eq(triggerEvents.batchId, event.id), eq(triggerEvents.ownerId, event.ownerId)))
          .orderBy(asc(triggerEvents.id))
      : [event],
    db
      .select({ id: messages.id, type: messages.type, text: messages.text, meta: messages.meta })
      .from(messages)
      .where(and(eq(messages.eventId, runId), eq(messages.ownerId, event.ownerId)))
      .orderBy(asc(messages.id)),
  ]);
  const recordings = steps.flatMap((m): Recording[] =>
    // a call a newer event stopped was never made: there is no answer of it to give
    m.type === "activity" &&
    typeof m.meta.tool === "string" &&
    m.meta.toolCallId &&
    m.meta.error !== INTERRUPTED
      ? [
          {
            name: m.meta.tool,
            input: m.meta.input ?? {},
            output: m.meta.output ?? null,
            error: (m.meta.error as string | null) ?? null,
          },
        ]
      : [],
  );
  const reply = steps.findLast((m) => m.type === "bot");
  const first = steps.find((m) => m.type === "user");
  const history =
    event.conversationId && first
      ? (
          await db
            .select({ type: messages.type, text: messages.text })
            .from(messages)
            .where(
              and(
                eq(messages.conversationId, event.conversationId),
                sql`${messages.type} in ('user', 'bot')`,
                lt(messages.id, first.id),
              ),
            )
            .orderBy(desc(messages.id))
            .limit(20)
        ).reverse()
      : [];
  return {
    events: members.map(snapshotEvent),
    history,
    recordings,
    originalReply: reply?.text ?? null,
  };
}

const asEvent = (s: EventSnapshot) => ({
  ...s,
  scheduledFor: s.scheduledFor ? new Date(s.scheduledFor) : null,
});

type DryRunInput = {
  trigger: Trigger;
  subject: DryRunSubject;
  overrides: DryRunOverrides;
  testCaseId?: string;
  testRunId?: string;
  signal?: AbortSignal;
};

/** The overrides checked against what this server and the trigger's bot offer. */
export async function checkedBot(db: Db, trigger: Trigger, overrides: DryRunOverrides) {
  const [bot] = await db.select().from(bots).where(eq(bots.id, trigger.botId));
  if (!bot) throw new ApiError("CONFLICT", "The trigger's bot no longer exists");
  if (overrides.model !== undefined) {
    const issue = await modelChoiceError(overrides.model);
    if (issue)
      throw new ApiError("VALIDATION_ERROR", `Invalid body: model ${issue.message}`, {
        issues: [issue],
      });
  }
  return bot;
}

/**
 * Runs the bot on the subject with the overrides, in the owner's share of the server, and keeps
 * the result. A model that fails makes a failed dry run (kept, with the error), not an error.
 */
export async function dryRun({
  trigger,
  subject,
  overrides,
  testCaseId,
  testRunId,
  signal,
}: DryRunInput): Promise<DryRunView> {
  const db = await getDb();
  const bot = await checkedBot(db, trigger, overrides);
  const model = overrides.model ?? bot.model;
  const changed = {
    bot: {
      ...bot,
      model,
      ...(overrides.backstory !== undefined && { backstory: overrides.backstory }),
    },
    trigger: {
      ...trigger,
      ...(overrides.prompt !== undefined && { prompt: overrides.prompt }),
      ...(overrides.maxIterations != null && { maxIterations: overrides.maxIterations }),
    },
  };
  const tools = offeredTools(
    overrides.abilities ?? trigger.abilities,
    abilityTools(
      bot.skillsetId
        ? await db.select().from(abilities).where(eq(abilities.skillsetId, bot.skillsetId))
        : [],
    ),
  );
  const events = subject.events.map(asEvent);
  const calls: DryRunToolCall[] = [];
  const tokens = { input: null as number | null, output: null as number | null };
  const started = Date.now();
  const id = newId("dryrun");
  const outcome = await inOwnersShare(trigger.ownerId, signal, async () => {
    const stop = signal ?? new AbortController().signal;
    try {
      const result = await runBot({
        bot: changed.bot,
        trigger: changed.trigger,
        event: events[0],
        message: describeRun(events, changed.trigger),
        history: subject.history,
        tools,
        dryRun: {
          answer: recordedAnswers(subject.recordings),
          liveReads: overrides.liveReads ?? false,
          key: id,
        },
        signal: stop,
        checkpoint: async () => stop.throwIfAborted(),
        onToolCall: async (call) => {
          calls.push({
            name: call.name,
            input: call.input,
            ...(call.error === undefined ? { output: call.output } : { error: call.error }),
            answer: call.answer ?? "live",
            wouldNeedApproval: call.wouldNeedApproval ?? false,
            durationMs: call.durationMs,
          });
        },
        onModelCall: async (call) => {
          if (call.inputTokens !== null) tokens.input = (tokens.input ?? 0) + call.inputTokens;
          if (call.outputTokens !== null) tokens.output = (tokens.output ?? 0) + call.outputTokens;
          const m = metrics();
          if (call.inputTokens) m.dryRunTokens.inc({ model, kind: "input" }, call.inputTokens);
          if (call.outputTokens) m.dryRunTokens.inc({ model, kind: "output" }, call.outputTokens);
        },
      });
      // no call is held in a dry run, so the run always answers
      return result.status === "completed"
        ? { status: "completed" as const, reply: result.text, error: null }
        : { status: "failed" as const, reply: null, error: "The run stopped at a held call" };
    } catch (error) {
      if (signal?.aborted) throw error;
      return {
        status: "failed" as const,
        reply: null,
        error: error instanceof Error ? error.message : String(error),
      };
    }
  });
  const at = now();
  const [row] = await db
    .insert(dryRuns)
    .values({
      id,
      ownerId: trigger.ownerId,
      triggerId: trigger.id,
      eventId: subject.events[0].id,
      testCaseId: testCaseId ?? null,
      testRunId: testRunId ?? null,
      overrides,
      model,
      ...outcome,
      toolCalls: calls,
      inputTokens: tokens.input,
      outputTokens: tokens.output,
      durationMs: Date.now() - started,
      createdAt: at,
      expiresAt: new Date(at.getTime() + DRY_RUN_KEEP_DAYS * DAY_MS),
    })
    .returning();
  return serializeDryRun(row, subject);
}

export type DryRunView = ReturnType<typeof serializeDryRun>;

export const serializeDryRun = (
  r: DryRun,
  original?: Pick<DryRunSubject, "recordings" | "originalReply">,
) => ({
  id: r.id,
  triggerId: r.triggerId,
  eventId: r.eventId,
  testCaseId: r.testCaseId,
  status: r.status,
  model: r.model,
  overrides: r.overrides,
  reply: r.reply,
  error: r.error,
  /** Each call with how it was answered: recorded, not_recorded, live (a read) or refused. */
  toolCalls: r.toolCalls,
  recorded: r.toolCalls.filter((c) => c.answer === "recorded").length,
  notRecorded: r.toolCalls.filter((c) => c.answer === "not_recorded").length,
  inputTokens: r.inputTokens,
  outputTokens: r.outputTokens,
  durationMs: r.durationMs,
  createdAt: iso(r.createdAt),
  expiresAt: iso(r.expiresAt),
  /** What the original run did, for comparison (absent in lists). */
  ...(original && {
    original: {
      reply: original.originalReply,
      toolCalls: original.recordings.map((c) => ({
        name: c.name,
        input: c.input,
        ...(c.error ? { error: c.error } : { output: c.output }),
      })),
    },
  }),
});

/** One batch of dry runs past their keep date; how many went. */
export async function deleteExpiredDryRuns(at: Date, batch: number): Promise<number> {
  const db = await getDb();
  const old = db
    .select({ id: dryRuns.id })
    .from(dryRuns)
    .where(lt(dryRuns.expiresAt, at))
    .limit(batch);
  const deleted = await db
    .delete(dryRuns)
    .where(inArray(dryRuns.id, old))
    .returning({ id: dryRuns.id });
  return deleted.length;
}
