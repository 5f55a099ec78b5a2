import { DEFAULT_SESSION_DURATION_MS, LIMIT_RANGES } from "@/lib/triggers/schema";
import type { SourceValue } from "./source-field";
import type { Trigger } from "./types";

// What the trigger form's controls hold, and how they become the request body the trigger
// schema checks (seconds and minutes here, milliseconds in the API).

export const NONE = "none";
const MINUTE = 60_000;
export const SESSION_PRESETS: { label: string; ms: number }[] = [
  { label: "No session (new conversation per event)", ms: 0 },
  { label: "5 minutes", ms: 5 * MINUTE },
  { label: "30 minutes", ms: 30 * MINUTE },
  { label: "1 hour", ms: 60 * MINUTE },
  { label: "1 day", ms: 24 * 60 * MINUTE },
  { label: "7 days", ms: 7 * 24 * 60 * MINUTE },
];

function browserTimezone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/** The fields this form shows an error under; any other issue goes to the form-level message. */
export const FIELDS = [
  "name",
  "alias",
  "description",
  "botId",
  "schedule",
  "timezone",
  "sessionDuration",
  "blueprintId",
  "prompt",
  "filter",
  "verification.header",
  "verification.secret",
  "maxIterations",
  "maxTime",
  "monthlyTokenBudget",
  "abilities",
  "approval",
  "approvalTimeout",
  "batch.window",
  "batch.maxWait",
  "batch.maxEvents",
  "batch.key",
  "onBusy",
  "reply",
  "reply.token",
  "reply.url",
  "autoPause.failures",
  "autoPause.window",
];
export const fieldOf = (path: string) => (path === "triggerSchedule" ? "schedule" : path);

export type TriggerFormValues = {
  name: string;
  alias: string;
  description: string;
  botId: string;
  authenticate: boolean;
  schedule: string;
  timezone: string;
  /** A preset in milliseconds, or "custom" with `sessionMinutes`. */
  sessionDuration: string;
  sessionMinutes: string;
  blueprintId: string;
  prompt: string;
  filter: string;
  verification: SourceValue;
  maxIterations: string;
  /** Seconds here, milliseconds in the API. */
  maxTime: string;
  /** Empty: no budget. */
  monthlyTokenBudget: string;
  /** "all", "read", or "chosen" with `abilityIds`. */
  abilitiesMode: "all" | "read" | "chosen";
  abilityIds: string[];
  approval: "none" | "write" | "all";
  /** Minutes here, milliseconds in the API. */
  approvalMinutes: string;
  batchOn: boolean;
  /** Seconds here, milliseconds in the API. */
  batchWindow: string;
  batchMaxWait: string;
  batchMaxEvents: string;
  batchKey: string;
  onBusy: "queue" | "merge" | "interrupt";
  replyType: "none" | "slack" | "github" | "callback";
  /** Write-only: empty keeps the stored token. */
  replyToken: string;
  replyUrl: string;
  autoPauseOn: boolean;
  autoPauseFailures: string;
  /** Minutes here, milliseconds in the API. */
  autoPauseMinutes: string;
};

function replyInput(v: TriggerFormValues) {
  if (v.replyType === "callback")
    return { type: "callback" as const, url: v.replyUrl.trim() || null };
  if (v.replyType === "slack" || v.replyType === "github")
    return { type: v.replyType, ...(v.replyToken.trim() && { token: v.replyToken.trim() }) };
  return { type: "none" as const };
}

const numberOrNaN = (text: string) => (text.trim() === "" ? Number.NaN : Number(text));

/** The request body from the controls; the trigger schema then checks it as the route will. */
export function toTriggerInput(v: TriggerFormValues) {
  const source = v.verification;
  return {
    name: v.name.trim() || null,
    alias: v.alias.trim() || null,
    description: v.description.trim() || null,
    botId: v.botId,
    authenticate: v.authenticate,
    schedule: v.schedule.trim() || null,
    timezone: v.timezone.trim() || "UTC",
    sessionDuration:
      v.sessionDuration === "custom"
        ? Math.round(numberOrNaN(v.sessionMinutes) * MINUTE)
        : Number(v.sessionDuration),
    blueprintId: v.blueprintId === NONE ? null : v.blueprintId,
    prompt: v.prompt.trim() ? v.prompt : null,
    filter: v.filter.trim() ? v.filter : null,
    // only when its fields are on screen: a hidden field's error would have nowhere to show
    ...(v.authenticate && {
      verification: {
        type: source.type,
        ...(source.secret.trim() && { secret: source.secret.trim() }),
        ...(source.type === "hmac" && {
          header: source.header.trim(),
          algorithm: source.algorithm,
          encoding: source.encoding,
          prefix: source.prefix || null,
        }),
      },
    }),
    maxIterations: numberOrNaN(v.maxIterations),
    maxTime: Math.round(numberOrNaN(v.maxTime) * 1000),
    monthlyTokenBudget: v.monthlyTokenBudget.trim() === "" ? null : Number(v.monthlyTokenBudget),
    abilities: v.abilitiesMode === "chosen" ? v.abilityIds : v.abilitiesMode,
    approval: v.approval,
    approvalTimeout: Math.round(numberOrNaN(v.approvalMinutes) * MINUTE),
    batch: v.batchOn
      ? {
          window: Math.round(numberOrNaN(v.batchWindow) * 1000),
          maxWait: Math.round(numberOrNaN(v.batchMaxWait) * 1000),
          maxEvents: numberOrNaN(v.batchMaxEvents),
          key: v.batchKey.trim() || null,
        }
      : null,
    onBusy: v.onBusy,
    reply: replyInput(v),
    autoPause: v.autoPauseOn
      ? {
          failures: numberOrNaN(v.autoPauseFailures),
          window: Math.round(numberOrNaN(v.autoPauseMinutes) * MINUTE),
        }
      : null,
  };
}

const SIGNING_SOURCES = ["github", "stripe", "slack", "standard-webhooks", "shopify", "hmac"];

/**
 * What a new trigger's form proposes until the owner picks: a sender that signs its deliveries
 * acts at once; one that does not (a Bearer secret pasted into a tool, or no check at all) has
 * its write calls wait for a person.
 */
export const proposedApproval = (authenticate: boolean, source: string): "none" | "write" =>
  authenticate && SIGNING_SOURCES.includes(source) ? "none" : "write";

export function initialValues(initial?: Trigger): TriggerFormValues {
  const session = initial?.sessionDuration ?? DEFAULT_SESSION_DURATION_MS;
  return {
    name: initial?.name ?? "",
    alias: initial?.alias ?? "",
    description: initial?.description ?? "",
    botId: initial?.botId ?? "",
    authenticate: initial?.authenticate ?? true,
    schedule: initial?.schedule ?? "",
    timezone: initial?.timezone ?? browserTimezone(),
    sessionDuration: SESSION_PRESETS.some((p) => p.ms === session) ? String(session) : "custom",
    sessionMinutes: String(Math.round(session / MINUTE)),
    blueprintId: initial?.blueprintId ?? NONE,
    prompt: initial?.prompt ?? "",
    filter: initial?.filter ?? "",
    verification: {
      type: initial?.verification.type ?? "bearer",
      secret: "",
      header: initial?.verification.header ?? "",
      algorithm: initial?.verification.algorithm ?? "sha256",
      encoding: initial?.verification.encoding ?? "hex",
      prefix: initial?.verification.prefix ?? "",
    },
    maxIterations: String(initial?.maxIterations ?? LIMIT_RANGES.maxIterations.default),
    maxTime: String((initial?.maxTime ?? LIMIT_RANGES.maxTime.default) / 1000),
    monthlyTokenBudget: initial?.monthlyTokenBudget ? String(initial.monthlyTokenBudget) : "",
    abilitiesMode: Array.isArray(initial?.abilities) ? "chosen" : (initial?.abilities ?? "all"),
    abilityIds: Array.isArray(initial?.abilities) ? initial.abilities : [],
    approval: initial?.approval ?? proposedApproval(true, "bearer"),
    approvalMinutes: String(
      (initial?.approvalTimeout ?? LIMIT_RANGES.approvalTimeout.default) / MINUTE,
    ),
    batchOn: Boolean(initial?.batch),
    batchWindow: String((initial?.batch?.window ?? LIMIT_RANGES.batchWindow.default) / 1000),
    batchMaxWait: String((initial?.batch?.maxWait ?? LIMIT_RANGES.batchMaxWait.default) / 1000),
    batchMaxEvents: String(initial?.batch?.maxEvents ?? LIMIT_RANGES.batchMaxEvents.default),
    batchKey: initial?.batch?.key ?? "",
    onBusy: initial?.onBusy ?? "queue",
    replyType: initial?.reply?.type ?? "none",
    replyToken: "",
    replyUrl: initial?.reply?.type === "callback" ? (initial.reply.url ?? "") : "",
    autoPauseOn: Boolean(initial?.autoPause),
    autoPauseFailures: String(initial?.autoPause?.failures ?? 5),
    autoPauseMinutes: String((initial?.autoPause?.window ?? 15 * MINUTE) / MINUTE),
  };
}
