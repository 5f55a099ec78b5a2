import type { Trigger } from "@/db/schema";
import { iso } from "@/lib/core/fields";
import { now } from "@/lib/core/clock";
import { decryptSecret } from "@/lib/crypto/secrets";
import { describeSchedule } from "@/lib/schedules/describe";
import { tokensUsedThisMonth } from "@/lib/stats/usage";
import { publicReply } from "@/lib/outbox/reply";
import { publicVerification } from "./verification";

export const eventUrlFor = (baseUrl: string, id: string) =>
  `${baseUrl}/v1/integration/trigger/${id}/event`;

/** The record of the API contract: absent optional values are null, never missing. */
export function serializeTrigger(t: Trigger, baseUrl: string) {
  return {
    id: t.id,
    alias: t.alias,
    name: t.name,
    description: t.description,
    botId: t.botId,
    secret: decryptSecret(t.secretEnc),
    authenticate: t.authenticate,
    verification: publicVerification(t.verification, Boolean(t.verificationSecretEnc)),
    filter: t.filter,
    triggerSchedule: t.schedule,
    schedule: t.schedule,
    /** The schedule in words, e.g. "At 09:00, Monday through Friday (Europe/Berlin)". */
    scheduleDescription: describeSchedule(t.schedule, t.timezone),
    timezone: t.timezone,
    sessionDuration: t.sessionDuration,
    blueprintId: t.blueprintId,
    meta: t.meta,
    prompt: t.prompt,
    /** The abilities its bot may use: "all", "read" (read abilities only) or a list of ability ids. */
    abilities: t.abilities,
    /** Which ability calls wait for a decision: "none", "write" or "all". */
    approval: t.approval,
    /** Milliseconds a call may wait for its decision before it counts as denied ("expired"). */
    approvalTimeout: t.approvalTimeout,
    /** Bursts batched into one run ({window, maxWait, maxEvents, key}); null: each event runs alone. */
    batch: t.batch,
    /** An event arriving while its session's run goes on: "queue", "merge" or "interrupt". */
    onBusy: t.onBusy,
    /** Where a completed run's reply goes ({type, url?, tokenSet, secretSet}); null: only the conversation. */
    reply: publicReply(t),
    /** Set while paused: events are stored and held, none runs. */
    pausedAt: iso(t.pausedAt),
    pausedReason: t.pausedAt ? t.pausedReason : null,
    autoPause: t.autoPause,
    maxIterations: t.maxIterations,
    maxTime: t.maxTime,
    lastTriggerAt: iso(t.lastTriggerAt),
    nextTriggerAt: iso(t.nextTriggerAt),
    rateLimitPerSecond: t.rateLimitPerSecond,
    rateLimitBurst: t.rateLimitBurst,
    rejectedCount: t.rejectedCount,
    monthlyTokenBudget: t.monthlyTokenBudget,
    /** Tokens the trigger's runs used in the current calendar month (UTC). */
    tokensUsedThisMonth: tokensUsedThisMonth(t),
    /** Until when the rotated-out secret is still accepted; null when there is none. */
    previousSecretExpiresAt:
      t.previousSecretEnc && t.previousSecretExpiresAt && t.previousSecretExpiresAt > now()
        ? iso(t.previousSecretExpiresAt)
        : null,
    eventUrl: eventUrlFor(baseUrl, t.id),
    createdAt: iso(t.createdAt),
    updatedAt: iso(t.updatedAt),
  };
}

export type TriggerRecord = ReturnType<typeof serializeTrigger>;
