import "server-only";
import type { Context } from "@opentelemetry/api";
import { jsonSchema, tool, type ToolSet } from "ai";
import type { AbilityEffect, DryRunAnswer, Recording } from "@/db/schema";
import { inputProblem } from "@/lib/abilities/input-schema";
import type { McpSessions } from "@/lib/abilities/mcp";
import { runAbility } from "@/lib/abilities/run";
import type { AbilityTool } from "@/lib/abilities/tools";
import { storableJson, storableText } from "@/lib/core/body";
import { metrics } from "@/lib/observability/metrics";
import { inSpan } from "@/lib/observability/trace";

// The one ability executor. Every tool the model may call goes through `execute` here, in one of
// its modes: live (the safe outbound client), recorded (a call this run already made and
// recorded is answered from the record, so a resumed or retried run never repeats a side
// effect; a dry run answers every call from the original run's recordings, see lib/dry-runs),
// or held (a call that needs a decision: the AI SDK stops the run at it, see run-bot.ts, and
// the call runs live once it is approved).

/** What a tool call stopped by a newer event answers (onBusy "interrupt"). */
export const INTERRUPTED =
  "Not run: a newer event arrived in this conversation and interrupted the run; it follows";

/** What a dry run's call gets when the original run made no call of that tool with that input. */
export const NOT_RECORDED =
  "Not recorded in the original run: this is a dry run, so nothing was sent, and the original run made no call of this tool with this input";

export type ToolCallRecord = {
  name: string;
  input: unknown;
  output?: unknown;
  error?: string;
  durationMs: number;
  /** The model's id for the call (stable across a suspend and resume). */
  toolCallId: string;
  /** A dry run's call: how it was answered, and whether a real run would have held it. */
  answer?: DryRunAnswer;
  wouldNeedApproval?: boolean;
};

/** Inputs equal as JSON whatever the order of their keys. */
function canonical(value: unknown): string {
  return JSON.stringify(value ?? {}, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as object).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/**
 * The recorded mode's answers: a call is answered by a recording of the same tool with an equal
 * input, each recording used once while an unused one matches (a call repeated more often than
 * in the original gets the last answer again).
 */
export function recordedAnswers(recordings: Recording[]) {
  const byKey = new Map<string, Recording[]>();
  for (const r of recordings) {
    const key = `${r.name}\u0000${canonical(r.input)}`;
    byKey.set(key, [...(byKey.get(key) ?? []), r]);
  }
  const used = new Map<string, number>();
  return (name: string, input: unknown): Recording | null => {
    const key = `${name}\u0000${canonical(input)}`;
    const list = byKey.get(key);
    if (!list) return null;
    const n = used.get(key) ?? 0;
    used.set(key, n + 1);
    return list[Math.min(n, list.length - 1)];
  };
}

/** A dry run: no call leaves the server except, when allowed, one to a tool that only reads. */
export type DryRunMode = {
  answer: (name: string, input: unknown) => Recording | null;
  liveReads: boolean;
  /** The dry run's id: a live read's Idempotency-Key, never one a real run of the event uses. */
  key: string;
};

export type ExecutorContext = {
  eventId: string;
  /** What `{{event.*}}` templates read. */
  event: Record<string, unknown>;
  /** Whether a call of this tool waits for a decision (the trigger's approval policy). */
  needsApproval: (tool: AbilityTool) => boolean;
  /** The run's MCP sessions (one per server, opened on first use). */
  mcp: McpSessions;
  /** onBusy "interrupt": true once a newer event of the session arrived (no more calls this step). */
  interrupted?: () => Promise<boolean>;
  /** The Idempotency-Key of an approved call (the approval's id), by tool call id. */
  approvedKeys: Map<string, string>;
  /** Calls this run made and recorded already (a resumed or retried run), by tool call id. */
  recorded: Map<string, { output?: unknown; error?: string | null }>;
  /** Tool calls recorded before this attempt: numbering continues from here. */
  firstIndex: number;
  /** Set for a dry run: calls are answered from recordings (see DryRunMode), nothing is held. */
  dryRun?: DryRunMode;
  onToolCall: (record: ToolCallRecord, index: number) => Promise<void>;
  checkpoint: () => Promise<void>;
  signal: AbortSignal;
  /** Called as a tool starts: the model has answered. */
  onStart: () => void;
  spanContext: Context;
};

/** The offered tools for the model, each with its own schema, run by the executor. */
export function buildTools(offered: AbilityTool[], ctx: ExecutorContext): ToolSet {
  let calls = 0;
  const tools: ToolSet = {};
  for (const spec of offered) {
    const { ability, schema } = spec;
    const held = ctx.needsApproval(spec);
    const dry = ctx.dryRun;
    tools[spec.name] = tool({
      description: spec.description,
      inputSchema: jsonSchema<Record<string, unknown>>(schema),
      // a call whose input does not fit is not worth a person's time: it is refused below
      ...(held && !dry && { needsApproval: async (args) => inputProblem(schema, args) === null }),
      execute: async (args, { toolCallId }) => {
        ctx.onStart();
        const recorded = ctx.recorded.get(toolCallId);
        if (recorded) return recorded.error ? { error: recorded.error } : recorded.output;
        await ctx.checkpoint();
        const index = ctx.firstIndex + calls++;
        const stop = await ctx.interrupted?.();
        const started = Date.now();
        let problem: string | null = null;
        let answer: DryRunAnswer = "live";
        const record = (r: { output?: unknown; error?: string }) => {
          const durationMs = Date.now() - started;
          const outcome = r.error === undefined ? "ok" : problem ? "invalid_input" : "error";
          if (!dry || answer === "live") {
            const m = metrics();
            m.abilityCalls.inc({ outcome });
            m.abilityDuration.observe({ outcome }, durationMs / 1000);
          }
          return ctx.onToolCall(
            {
              name: spec.name,
              input: args,
              ...r,
              durationMs,
              toolCallId,
              ...(dry && { answer, wouldNeedApproval: held }),
            },
            index,
          );
        };
        const answered = async (r: { output?: unknown; error?: string }) => {
          await record(r);
          return r.error === undefined ? r.output : { error: r.error };
        };
        if (stop) return answered({ error: INTERRUPTED });
        // a call that does not fit the declared inputs is refused before anything is sent
        problem = inputProblem(schema, args);
        if (problem) {
          if (dry) answer = "refused";
          return answered({ error: `Invalid input: ${problem}` });
        }
        if (dry) {
          const hit = dry.answer(spec.name, args);
          answer = hit ? "recorded" : "not_recorded";
          if (hit) return answered(hit.error ? { error: hit.error } : { output: hit.output });
          if (!dry.liveReads || spec.effect !== "read") return answered({ error: NOT_RECORDED });
          answer = "live";
        }
        try {
          const output = await inSpan(
            "ability.call",
            { "event.id": ctx.eventId, "ability.name": spec.name, "ability.kind": ability.kind },
            () => {
              const key =
                ctx.approvedKeys.get(toolCallId) ?? `${dry ? dry.key : ctx.eventId}-${index}`;
              return spec.mcpTool
                ? ctx.mcp.call(ability, spec.mcpTool, args ?? {}, { signal: ctx.signal, key })
                : runAbility(
                    ability,
                    { input: args ?? {}, event: ctx.event },
                    { idempotencyKey: key, signal: ctx.signal },
                  );
            },
            ctx.spanContext,
          );
          // what the model reads is what is recorded: a NUL or half an emoji cannot be stored
          const storable = storableJson(output);
          await record({ output: storable });
          return storable;
        } catch (error) {
          if (ctx.signal.aborted) throw ctx.signal.reason; // a stopped run records nothing
          const message = storableText(error instanceof Error ? error.message : String(error));
          await record({ error: message });
          return { error: message };
        }
      },
    });
  }
  return tools;
}

/** The effect a trigger's policy holds for a decision: anything not known to be a read is a write. */
export const approvalNeeded = (policy: "none" | "write" | "all", effect: AbilityEffect) =>
  policy === "all" || (policy === "write" && effect !== "read");
