import "server-only";
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import type { LanguageModel } from "ai";
import { env } from "@/lib/env";
import { PermanentError } from "./errors";

export const ECHO_MODEL = "echo";

export type ModelChoice = { id: string; label: string; provider: "echo" | "openai" | "anthropic" };

/** Models a bot can pick, given the providers this server has keys for. */
export function availableModels(): ModelChoice[] {
  const e = env();
  const list: ModelChoice[] = [
    { id: ECHO_MODEL, label: "echo: built-in offline responder (no LLM)", provider: "echo" },
  ];
  if (e.OPENAI_API_KEY || e.OPENAI_BASE_URL) {
    const label = e.OPENAI_BASE_URL ? `OpenAI-compatible (${e.OPENAI_BASE_URL})` : "OpenAI";
    for (const m of ["gpt-4o-mini", "gpt-4o", "gpt-4.1-mini"])
      list.push({ id: `openai/${m}`, label: `${label}: ${m}`, provider: "openai" });
  }
  if (e.ANTHROPIC_API_KEY) {
    for (const m of ["claude-sonnet-4-5", "claude-haiku-4-5"])
      list.push({ id: `anthropic/${m}`, label: `Anthropic: ${m}`, provider: "anthropic" });
  }
  return list;
}

export class ModelConfigError extends PermanentError {}

/**
 * `echo` -> null (the offline responder); `anthropic/<m>` -> Anthropic;
 * `openai/<m>` or a bare name -> OpenAI or the OpenAI-compatible server at
 * OPENAI_BASE_URL (chat completions, which Ollama, vLLM and LM Studio speak).
 */
export function resolveModel(model: string): LanguageModel | null {
  if (model === ECHO_MODEL) return null;
  const e = env();
  const [provider, ...rest] = model.includes("/") ? model.split("/") : ["openai", model];
  const name = rest.join("/");
  if (provider === "anthropic") {
    if (!e.ANTHROPIC_API_KEY)
      throw new ModelConfigError(
        `Model ${model} needs ANTHROPIC_API_KEY, which is not set on this server`,
      );
    return createAnthropic({ apiKey: e.ANTHROPIC_API_KEY })(name);
  }
  if (provider === "openai") {
    if (!e.OPENAI_API_KEY && !e.OPENAI_BASE_URL) {
      throw new ModelConfigError(
        `Model ${model} needs OPENAI_API_KEY or OPENAI_BASE_URL, neither is set on this server`,
      );
    }
    return createOpenAI({
      apiKey: e.OPENAI_API_KEY ?? "not-needed",
      baseURL: e.OPENAI_BASE_URL,
    }).chat(name);
  }
  throw new ModelConfigError(
    `Unknown model provider "${provider}" in ${model}; use echo, openai/<model> or anthropic/<model>`,
  );
}
