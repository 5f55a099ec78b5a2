import "server-only";
import { generateText, jsonSchema, stepCountIs, tool, type ModelMessage, type ToolSet } from "ai";
import type { Ability, Bot, Trigger, TriggerEvent } from "@/db/schema";
import { runAbility } from "@/lib/abilities/run";
import { now } from "@/lib/clock";
import { resolveModel } from "./models";

export const MAX_STEPS = 6;
export const RUN_TIMEOUT_MS = 60_000;

export type ToolCallRecord = {
  name: string;
  input: unknown;
  output?: unknown;
  error?: string;
  durationMs: number;
};

type RunInput = {
  bot: Pick<Bot, "model" | "backstory" | "name">;
  trigger: Pick<Trigger, "name" | "id">;
  event: Pick<TriggerEvent, "id" | "kind" | "payload" | "contentType" | "contact">;
  userText: string;
  history: { type: string; text: string }[];
  abilities: Pick<Ability, "name" | "description" | "kind" | "config" | "secretsEnc">[];
  /** Called as each tool call finishes, so it is recorded even if the run fails later. */
  onToolCall: (record: ToolCallRecord, index: number) => Promise<void>;
  /** Stops the run (lost claim, cancel, shutdown): reaches the model call and every ability request. */
  signal: AbortSignal;
  /** Runs before each tool call; throws when the run may not cause side effects any more. */
  checkpoint: () => Promise<void>;
};

function systemPrompt({ bot, trigger, event }: RunInput): string {
  const context = [
    `You are handling a ${event.kind} for the trigger "${trigger.name ?? trigger.id}".`,
    `Current time: ${now().toISOString()}.`,
    event.contentType ? `The event arrived as ${event.contentType}.` : null,
    event.contact ? `Contact: ${JSON.stringify(event.contact)}.` : null,
    "Decide what to do, use the tools you have when they help, and answer with a short summary of what you did.",
  ]
    .filter(Boolean)
    .join("\n");
  return bot.backstory ? `${bot.backstory}\n\n${context}` : context;
}

/** The offline `echo` model: deterministic, labelled, no LLM involved. */
function echoReply(input: RunInput): string {
  const summary = input.userText.length > 500 ? `${input.userText.slice(0, 500)}…` : input.userText;
  return `[echo: offline model, no LLM] Received ${input.event.kind} for "${input.trigger.name ?? input.trigger.id}": ${summary}`;
}

export async function runBot(input: RunInput): Promise<{ text: string }> {
  const model = resolveModel(input.bot.model);
  if (!model) return { text: echoReply(input) };

  let calls = 0;
  const tools: ToolSet = {};
  for (const ability of input.abilities) {
    tools[ability.name] = tool({
      description: ability.description ?? `${ability.kind} ability ${ability.name}`,
      inputSchema: jsonSchema<Record<string, unknown>>({
        type: "object",
        additionalProperties: true,
      }),
      execute: async (args) => {
        await input.checkpoint();
        const index = calls++;
        const started = Date.now();
        const scope = {
          input: args ?? {},
          event: {
            id: input.event.id,
            kind: input.event.kind,
            payload: input.event.payload,
            text: input.userText,
            contact: input.event.contact,
          },
        };
        try {
          const output = await runAbility(ability, scope, {
            idempotencyKey: `${input.event.id}-${index}`,
            signal: input.signal,
          });
          await input.onToolCall(
            { name: ability.name, input: args, output, durationMs: Date.now() - started },
            index,
          );
          return output;
        } catch (error) {
          if (input.signal.aborted) throw input.signal.reason; // a stopped run records nothing
          const message = error instanceof Error ? error.message : String(error);
          await input.onToolCall(
            { name: ability.name, input: args, error: message, durationMs: Date.now() - started },
            index,
          );
          return { error: message };
        }
      },
    });
  }

  const messages: ModelMessage[] = [
    ...input.history.map((m): ModelMessage =>
      m.type === "bot" ? { role: "assistant", content: m.text } : { role: "user", content: m.text },
    ),
    { role: "user", content: input.userText },
  ];
  const result = await generateText({
    model,
    system: systemPrompt(input),
    messages,
    tools,
    stopWhen: stepCountIs(MAX_STEPS),
    maxRetries: 0, // the event is retried with back-off as a whole
    abortSignal: AbortSignal.any([input.signal, AbortSignal.timeout(RUN_TIMEOUT_MS)]),
  });
  return { text: result.text || "(the model returned no text)" };
}
