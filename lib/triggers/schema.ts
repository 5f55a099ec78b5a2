import { z } from "zod";
import {
  aliasField,
  descriptionField,
  idRef,
  LIMITS,
  metaField,
  metaFilter,
  nameField,
} from "@/lib/core/fields";
import { listQuerySchema } from "@/lib/core/list-query";
import { isValidTimezone, MAX_SCHEDULE_LENGTH } from "@/lib/schedules/parse";
import { MAX_PROMPT_LENGTH, promptPlaceholderIssue } from "./prompt";
import { autoPauseField, replyField } from "@/lib/outbox/schema";
import { verificationSchema } from "./verification";

/** As lib/events/filter.ts (which needs a CEL parser; this file is loaded by the browser too). */
export const MAX_FILTER_LENGTH = 2000;

export const MAX_SESSION_DURATION_MS = 90 * 24 * 60 * 60 * 1000;
export const DEFAULT_SESSION_DURATION_MS = 60 * 60 * 1000;

const scheduleField = z
  .string()
  .max(MAX_SCHEDULE_LENGTH, `must be at most ${MAX_SCHEDULE_LENGTH} characters`);
const timezoneField = z
  .string()
  .refine(isValidTimezone, "must be an IANA time zone such as Europe/Berlin or UTC");
const sessionDurationField = z
  .number({ error: "must be a number" })
  .int("must be a whole number of milliseconds")
  .min(0, "must not be negative")
  .max(MAX_SESSION_DURATION_MS, "must be at most 90 days (7776000000 ms)");

const promptField = z
  .string()
  .max(MAX_PROMPT_LENGTH, `must be at most ${MAX_PROMPT_LENGTH} characters`)
  .superRefine((p, ctx) => {
    const issue = promptPlaceholderIssue(p);
    if (issue) ctx.addIssue({ code: "custom", message: issue });
  });

export const LIMIT_RANGES = {
  maxIterations: { min: 1, max: 20, default: 6 },
  maxTime: { min: 1000, max: 300_000, default: 60_000 },
  approvalTimeout: { min: 60_000, max: 7 * 24 * 3_600_000, default: 24 * 3_600_000 },
  batchWindow: { min: 1000, max: 600_000, default: 10_000 },
  batchMaxWait: { min: 1000, max: 3_600_000, default: 60_000 },
  batchMaxEvents: { min: 1, max: 100, default: 20 },
} as const;

export const BUSY_POLICIES = ["queue", "merge", "interrupt"] as const;
const R = LIMIT_RANGES;

/**
 * Bursts as one run: events with the same key wait until `window` ms pass with no new one,
 * `maxWait` ms pass since the first, or `maxEvents` arrived (lib/events/batching.ts).
 */
export const batchField = z
  .object({
    window: z
      .number({ error: "must be a number" })
      .int("must be a whole number of milliseconds")
      .min(R.batchWindow.min, "must be at least 1 second (1000 ms)")
      .max(R.batchWindow.max, "must be at most 10 minutes (600000 ms)"),
    maxWait: z
      .number({ error: "must be a number" })
      .int("must be a whole number of milliseconds")
      .min(R.batchMaxWait.min, "must be at least 1 second (1000 ms)")
      .max(R.batchMaxWait.max, "must be at most 1 hour (3600000 ms)")
      .optional(),
    maxEvents: z
      .number({ error: "must be a number" })
      .int("must be a whole number")
      .min(R.batchMaxEvents.min, `must be at least ${R.batchMaxEvents.min}`)
      .max(R.batchMaxEvents.max, `must be at most ${R.batchMaxEvents.max}`)
      .optional(),
    /** A CEL expression over {payload, headers, query, contact, cloudevent}; null: the session. */
    key: z
      .string()
      .max(MAX_FILTER_LENGTH, `must be at most ${MAX_FILTER_LENGTH} characters`)
      .nullish(),
  })
  .refine((b) => b.maxWait === undefined || b.maxWait >= b.window, {
    message: "must be at least the window",
    path: ["maxWait"],
  });

export const APPROVAL_POLICIES = ["none", "write", "all"] as const;
export const MAX_TRIGGER_ABILITIES = 100;

export const triggerFields = {
  name: nameField.nullish(),
  alias: aliasField.nullish(),
  description: descriptionField.nullish(),
  botId: z.string().trim().min(1, "Choose the bot that will process events").max(LIMITS.id),
  authenticate: z.boolean(),
  // The seed calls it triggerSchedule, the SDK schedule; both are accepted.
  triggerSchedule: scheduleField.nullish(),
  schedule: scheduleField.nullish(),
  timezone: timezoneField.nullish(),
  sessionDuration: sessionDurationField.nullish(),
  blueprintId: idRef.nullish(),
  meta: metaField.optional(),
  /** The user message of every run; null: the payload's `text` (see lib/triggers/prompt.ts). */
  prompt: promptField.nullish(),
  /** How deliveries are checked (a preset per kind of sender); `secret` is write-only. */
  verification: verificationSchema.optional(),
  /** A CEL expression an event must satisfy to reach the bot; null: every event does. */
  filter: z
    .string()
    .max(MAX_FILTER_LENGTH, `must be at most ${MAX_FILTER_LENGTH} characters`)
    .nullish(),
  /** The abilities the bot may use: "all" (ChatBotKit's behaviour), "read" only, or these ids. */
  abilities: z
    .union([
      z.enum(["all", "read"]),
      z
        .array(idRef, { error: 'must be "all", "read" or a list of ability ids' })
        .max(MAX_TRIGGER_ABILITIES, `at most ${MAX_TRIGGER_ABILITIES} abilities`),
    ])
    .nullish(),
  /** Which ability calls wait for a person's decision before they run. */
  approval: z.enum(APPROVAL_POLICIES, { error: 'must be "none", "write" or "all"' }).nullish(),
  /** Milliseconds a call may wait for a decision; past it, it counts as denied ("expired"). */
  approvalTimeout: z
    .number({ error: "must be a number" })
    .int("must be a whole number of milliseconds")
    .min(LIMIT_RANGES.approvalTimeout.min, "must be at least 1 minute (60000 ms)")
    .max(LIMIT_RANGES.approvalTimeout.max, "must be at most 7 days (604800000 ms)")
    .nullish(),
  /** Bursts batched into one run; null: every event is its own run. */
  batch: batchField.nullish(),
  /** An event arriving while its session's run goes on: waits (queue), joins it (merge), or interrupts it. */
  onBusy: z.enum(BUSY_POLICIES, { error: 'must be "queue", "merge" or "interrupt"' }).nullish(),
  /** Where a completed run's reply is delivered (Slack, GitHub, a callback); the token is write-only. */
  reply: replyField.nullish(),
  /** Pause after this many failed runs within this window; null: never by itself. */
  autoPause: autoPauseField.nullish(),
  /** Model steps (calls) per run. */
  maxIterations: z
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(LIMIT_RANGES.maxIterations.min, `must be at least ${LIMIT_RANGES.maxIterations.min}`)
    .max(LIMIT_RANGES.maxIterations.max, `must be at most ${LIMIT_RANGES.maxIterations.max}`)
    .nullish(),
  /** Milliseconds per run. */
  maxTime: z
    .number({ error: "must be a number" })
    .int("must be a whole number of milliseconds")
    .min(LIMIT_RANGES.maxTime.min, "must be at least 1 second (1000 ms)")
    .max(LIMIT_RANGES.maxTime.max, "must be at most 5 minutes (300000 ms)")
    .nullish(),
  // null: the server default (RATE_LIMIT_PER_SECOND, RATE_LIMIT_BURST)
  rateLimitPerSecond: z.number().int().min(1).max(100_000).nullish(),
  rateLimitBurst: z.number().int().min(1).max(1_000_000).nullish(),
  /** Model tokens per calendar month (UTC); once spent, events fail until the month turns. null: no limit. */
  monthlyTokenBudget: z
    .number({ error: "must be a number" })
    .int("must be a whole number of tokens")
    .min(1, "must be at least 1 token (leave it empty for no limit)")
    .max(1_000_000_000_000, "must be at most 10^12 tokens")
    .nullish(),
};

export const createTriggerSchema = z.object({
  ...triggerFields,
  authenticate: triggerFields.authenticate.default(true),
});

export const updateTriggerSchema = z.object({
  ...triggerFields,
  botId: triggerFields.botId.optional(),
  authenticate: triggerFields.authenticate.optional(),
});

export const listTriggersQuerySchema = listQuerySchema.extend({
  blueprintId: idRef.optional(),
  /** Case-insensitive substring of the name. */
  search: z.string().trim().max(100).optional(),
  meta: metaFilter.optional(),
});

export type CreateTriggerInput = z.infer<typeof createTriggerSchema>;
export type UpdateTriggerInput = z.infer<typeof updateTriggerSchema>;
export type ListTriggersQuery = z.infer<typeof listTriggersQuerySchema>;

/** An optional payload for a manual run; the SDK sends `{}`. */
export const invokeTriggerSchema = z
  .record(z.string(), z.unknown())
  .refine((p) => JSON.stringify(p).length <= 64 * 1024, "must be at most 64 KiB as JSON");

export const rotateSecretSchema = z.object({
  /** true: the old secret stops working now instead of after the grace period. */
  revokePrevious: z.boolean().default(false),
});
