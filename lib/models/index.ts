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

/** How long a model server's list is used before it is asked again, and a failure before retrying. */
export const DISCOVERY_TTL_MS = 5 * 60_000;
const DISCOVERY_RETRY_MS = 30_000;
const DISCOVERY_TIMEOUT_MS = 3_000;
const MAX_DISCOVERED = 500;
const MODEL_NAME = /^[\w.:/@-]{1,100}$/;

type Discovery = {
  /** The server's models as `openai/<id>`; null until it has answered once. */
  ids: string[] | null;
  checkedAt: number;
  /** Why the last attempt failed (never the server's URL). */
  error: string | null;
  pending: Promise<void> | null;
};

const discovery = ((globalThis as { __modelDiscovery?: Discovery }).__modelDiscovery ??= {
  ids: null,
  checkedAt: 0,
  error: null,
  pending: null,
});

/** Whether the models come from the server's own list: OPENAI_BASE_URL and no MODELS_ALLOWED. */
const discovering = () => Boolean(env().OPENAI_BASE_URL) && env().MODELS_ALLOWED.length === 0;

async function askModelServer(): Promise<void> {
  const e = env();
  try {
    const res = await fetch(`${e.OPENAI_BASE_URL!.replace(/\/$/, "")}/models`, {
      headers: e.OPENAI_API_KEY ? { authorization: `Bearer ${e.OPENAI_API_KEY}` } : {},
      signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
    });
    if (!res.ok) throw new Error(`it answered ${res.status}`);
    const body = (await res.json()) as { data?: { id?: unknown }[] };
    if (!Array.isArray(body.data)) throw new Error("its answer has no data list");
    discovery.ids = body.data
      .map((m) => m?.id)
      .filter((id): id is string => typeof id === "string" && MODEL_NAME.test(id))
      .slice(0, MAX_DISCOVERED)
      .map((id) => `openai/${id}`);
    discovery.error = null;
  } catch (error) {
    const reason =
      error instanceof Error && error.name === "TimeoutError"
        ? `no answer within ${DISCOVERY_TIMEOUT_MS / 1000} s`
        : error instanceof SyntaxError
          ? "its answer is not JSON"
          : error instanceof Error && error.message.startsWith("it")
            ? error.message
            : "it could not be reached";
    discovery.error = reason;
  } finally {
    discovery.checkedAt = Date.now();
  }
}

/**
 * Asks the model server for its list when the last answer is older than DISCOVERY_TTL_MS (30 s
 * after a failure); one request at a time, however many callers wait.
 */
async function refreshDiscovery(): Promise<void> {
  const age = Date.now() - discovery.checkedAt;
  const fresh = discovery.error ? age < DISCOVERY_RETRY_MS : age < DISCOVERY_TTL_MS;
  if (discovery.checkedAt && fresh) return;
  discovery.pending ??= askModelServer().finally(() => (discovery.pending = null));
  await discovery.pending;
}

/** Forgets the model server's list (tests, and an operator's change of OPENAI_BASE_URL). */
export function forgetDiscoveredModels() {
  Object.assign(discovery, { ids: null, checkedAt: 0, error: null });
}

export type ModelList = {
  items: ModelChoice[];
  /** Set when the model server's list could not be read; says what to do. */
  message?: string;
};

/**
 * The models bots may use on this server: `echo`, then MODELS_ALLOWED when the operator set it;
 * else, with OPENAI_BASE_URL, the models that server lists at `/v1/models` (Ollama, vLLM, LM
 * Studio: pull a model and it is offered); else a built-in list for each configured provider. A
 * model whose provider has no key is never offered: a tenant cannot spend what the operator did
 * not choose to pay for.
 */
export async function availableModels(): Promise<ModelList> {
  const list: ModelChoice[] = [
    { id: ECHO_MODEL, label: "echo: built-in offline responder (no LLM)", provider: "echo" },
  ];
  const allowed = env().MODELS_ALLOWED.map(canonicalModel);
  let ids: string[];
  let message: string | undefined;
  if (allowed.length) ids = allowed.filter((id) => id !== ECHO_MODEL);
  else {
    if (discovering()) await refreshDiscovery();
    const openai = discovering()
      ? (discovery.ids ?? [])
      : DEFAULTS.openai.map((m) => `openai/${m}`);
    ids = [...openai, ...DEFAULTS.anthropic.map((m) => `anthropic/${m}`)];
    if (discovering() && discovery.error)
      message = `The OpenAI-compatible model server (OPENAI_BASE_URL) did not list its models: ${discovery.error}. ${
        discovery.ids
          ? "Showing its last list."
          : "Its models appear once it answers, or name them in MODELS_ALLOWED."
      }`;
  }
  for (const id of new Set(ids)) {
    const provider = providerOf(id);
    if ((provider === "openai" || provider === "anthropic") && configured(provider))
      list.push({ id, label: label(id), provider });
  }
  return message ? { items: list, message } : { items: list };
}

/**
 * Whether bots may use `model`. While the model server's list has never been read, its models
 * are not refused at run time (the server itself answers for an unknown one).
 */
export async function isOfferedModel(model: string): Promise<boolean> {
  const id = canonicalModel(model);
  const { items } = await availableModels();
  if (items.some((m) => m.id === id)) return true;
  return discovering() && discovery.ids === null && providerOf(id) === "openai";
}

export class ModelConfigError extends PermanentError {}

/**
 * `echo` -> null (the offline responder); `anthropic/<m>` -> Anthropic;
 * `openai/<m>` or a bare name -> OpenAI or the OpenAI-compatible server at
 * OPENAI_BASE_URL (chat completions, which Ollama, vLLM and LM Studio speak).
 */
export async function resolveModel(model: string): Promise<LanguageModel | null> {
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
  if (!(await isOfferedModel(model)))
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
export async function modelChoiceError(
  model: string,
): Promise<{ path: string; message: string } | null> {
  const { items, message } = await availableModels();
  if (items.some((m) => m.id === canonicalModel(model))) return null;
  if (message && providerOf(model) === "openai") return { path: "model", message };
  const ids = items.map((m) => m.id);
  return {
    path: "model",
    message: `is not offered by this server; choose one of: ${ids.slice(0, 20).join(", ")}${ids.length > 20 ? ", …" : ""}`,
  };
}
