import "server-only";
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import type { LanguageModel } from "ai";
import { env } from "@/lib/core/env";
import { PermanentError } from "@/lib/core/errors";

export const ECHO_MODEL = "echo";

type Provider = "echo" | "openai" | "anthropic";
export type ModelChoice = { id: string; label: string; provider: Provider };

const DEFAULTS: Record<Exclude<Provider, "echo">, string[]> = {
  openai: ["gpt-4o-mini", "gpt-4o", "gpt-4.1-mini"],
  anthropic: ["claude-sonnet-4-5", "claude-haiku-4-5"],
};

/** `gpt-4o` means `openai/gpt-4o`: a bare name is the OpenAI(-compatible) provider's. */
export function canonicalModel(model: string): string {
  if (model === ECHO_MODEL || model.includes("/")) return model;
  return `openai/${model}`;
}

const providerOf = (model: string) => canonicalModel(model).split("/")[0];

function configured(provider: string): boolean {
  const e = env();
  if (provider === "openai") return Boolean(e.OPENAI_API_KEY || e.OPENAI_BASE_URL);
  if (provider === "anthropic") return Boolean(e.ANTHROPIC_API_KEY);
  return false;
}

function label(id: string): string {
  const [provider, ...rest] = id.split("/");
  const name = rest.join("/");
  if (provider === "anthropic") return `Anthropic: ${name}`;
  // never the server's URL: it names the operator's internal network to every tenant
  return env().OPENAI_BASE_URL ? `OpenAI-compatible: ${name}` : `OpenAI: ${name}`;
}

/**
 * The models bots may use on this server: `echo`, then MODELS_ALLOWED when the
 * operator set it, else a built-in list for each configured provider. A model
 * whose provider has no key is never offered: a tenant cannot spend what the
 * operator did not choose to pay for.
 */
export function availableModels(): ModelChoice[] {
  const list: ModelChoice[] = [
    { id: ECHO_MODEL, label: "echo: built-in offline responder (no LLM)", provider: "echo" },
  ];
  const allowed = env().MODELS_ALLOWED.map(canonicalModel);
  const ids = allowed.length
    ? allowed.filter((id) => id !== ECHO_MODEL)
    : (["openai", "anthropic"] as const).flatMap((p) => DEFAULTS[p].map((m) => `${p}/${m}`));
  for (const id of new Set(ids)) {
    const provider = providerOf(id);
    if ((provider === "openai" || provider === "anthropic") && configured(provider))
      list.push({ id, label: label(id), provider });
  }
  return list;
}

export const isOfferedModel = (model: string) =>
  availableModels().some((m) => m.id === canonicalModel(model));

export class ModelConfigError extends PermanentError {}

/**
 * `echo` -> null (the offline responder); `anthropic/<m>` -> Anthropic;
 * `openai/<m>` or a bare name -> OpenAI or the OpenAI-compatible server at
 * OPENAI_BASE_URL (chat completions, which Ollama, vLLM and LM Studio speak).
 */
export function resolveModel(model: string): LanguageModel | null {
  if (model === ECHO_MODEL) return null;
  const e = env();
  const [provider, ...rest] = canonicalModel(model).split("/");
  const name = rest.join("/");
  if (provider === "anthropic" && !e.ANTHROPIC_API_KEY)
    throw new ModelConfigError(
      `Model ${model} needs ANTHROPIC_API_KEY, which is not set on this server`,
    );
  if (provider === "openai" && !e.OPENAI_API_KEY && !e.OPENAI_BASE_URL)
    throw new ModelConfigError(
      `Model ${model} needs OPENAI_API_KEY or OPENAI_BASE_URL, neither is set on this server`,
    );
  if (provider !== "openai" && provider !== "anthropic")
    throw new ModelConfigError(
      `Unknown model provider "${provider}" in ${model}; use echo, openai/<model> or anthropic/<model>`,
    );
  // A bot saved before the operator narrowed MODELS_ALLOWED must not keep spending.
  if (!isOfferedModel(model))
    throw new ModelConfigError(
      `Model ${model} is not offered by this server (MODELS_ALLOWED); choose another model for the bot`,
    );
  if (provider === "anthropic") return createAnthropic({ apiKey: e.ANTHROPIC_API_KEY })(name);
  return createOpenAI({
    apiKey: e.OPENAI_API_KEY ?? "not-needed",
    baseURL: e.OPENAI_BASE_URL,
  }).chat(name);
}

/** For the bot routes: 422 naming the choices when `model` is not one this server offers. */
export function modelChoiceError(model: string): { path: string; message: string } | null {
  if (isOfferedModel(model)) return null;
  const ids = availableModels().map((m) => m.id);
  return {
    path: "model",
    message: `is not offered by this server; choose one of: ${ids.slice(0, 20).join(", ")}${ids.length > 20 ? ", …" : ""}`,
  };
}
