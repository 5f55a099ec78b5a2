import "server-only";
import type { Context } from "@opentelemetry/api";
import { jsonSchema, tool, type ToolSet } from "ai";
import type { AbilityEffect } from "@/db/schema";
import { inputProblem } from "@/lib/abilities/input-schema";
import type { McpSessions } from "@/lib/abilities/mcp";
import { runAbility } from "@/lib/abilities/run";
import type { AbilityTool } from "@/lib/abilities/tools";
import { metrics } from "@/lib/observability/metrics";
import { inSpan } from "@/lib/observability/trace";

// The one ability executor. Every tool the model may call goes through `execute` here, in one of
// its modes: live (the safe outbound client), recorded (a call this run already made and
// recorded is answered from the record, so a resumed or retried run never repeats a side
// effect), or held (a call that needs a decision: the AI SDK stops the run at it, see
// run-bot.ts, and the call runs live once it is approved).

/** What a tool call stopped by a newer event answers (onBusy "interrupt"). */
export const INTERRUPTED =
  "Not run: a newer event arrived in this conversation and interrupted the run; it follows";

export type ToolCallRecord = {
  name: string;
  input: unknown;
  output?: unknown;
  error?: string;
  durationMs: number;
  /** The model's id for the call (stable across a suspend and resume). */
  toolCallId: string;
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
    tools[spec.name] = tool({
      description: spec.description,
      inputSchema: jsonSchema<Record<string, unknown>>(schema),
      // a call whose input does not fit is not worth a person's time: it is refused below
      ...(held && { needsApproval: async (args) => inputProblem(schema, args) === null }),
      execute: async (args, { toolCallId }) => {
        ctx.onStart();
        const recorded = ctx.recorded.get(toolCallId);
        if (recorded) return recorded.error ? { error: recorded.error } : recorded.output;
        await ctx.checkpoint();
        const index = ctx.firstIndex + calls++;
        const stop = await ctx.interrupted?.();
        const started = Date.now();
        let problem: string | null = null;
        const record = (r: { output?: unknown; error?: string }) => {
          const durationMs = Date.now() - started;
          const outcome = r.error === undefined ? "ok" : problem ? "invalid_input" : "error";
          const m = metrics();
          m.abilityCalls.inc({ outcome });
          m.abilityDuration.observe({ outcome }, durationMs / 1000);
          return ctx.onToolCall(
            { name: spec.name, input: args, ...r, durationMs, toolCallId },
            index,
          );
        };
        if (stop) {
          await record({ error: INTERRUPTED });
          return { error: INTERRUPTED };
        }
        // a call that does not fit the declared inputs is refused before anything is sent
        problem = inputProblem(schema, args);
        if (problem) {
          const error = `Invalid input: ${problem}`;
          await record({ error });
          return { error };
        }
        try {
          const output = await inSpan(
            "ability.call",
            { "event.id": ctx.eventId, "ability.name": spec.name, "ability.kind": ability.kind },
            () => {
              const key = ctx.approvedKeys.get(toolCallId) ?? `${ctx.eventId}-${index}`;
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
          await record({ output });
          return output;
        } catch (error) {
          if (ctx.signal.aborted) throw ctx.signal.reason; // a stopped run records nothing
          const message = error instanceof Error ? error.message : String(error);
          await record({ error: message });
          return { error: message };
        }
      },
    });
  }
  return tools;
}

/** The effect a trigger's policy holds for a decision. */
export const approvalNeeded = (policy: "none" | "write" | "all", effect: AbilityEffect) =>
  policy === "all" || (policy === "write" && effect === "write");
