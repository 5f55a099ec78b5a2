import "server-only";
import { and, count, eq, ilike, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { blueprints, bots, triggers } from "@/db/schema";
import { ApiError } from "@/lib/core/errors";
import { assertOwnedRef, getOwnedByRefOrThrow, getTriggerOrThrow, savingAlias } from "@/db/owned";
import { containsPattern, cursorClauses, metaMatches, toPage } from "@/db/pages";
import { now } from "@/lib/core/clock";
import { encryptSecret, generateTriggerSecret } from "@/lib/crypto/secrets";
import { env } from "@/lib/core/env";
import { queueEvent } from "@/lib/events/queue";
import { forgetTrigger } from "@/lib/events/trigger-cache";
import { replyColumns, rotatedReplySecret } from "@/lib/outbox/reply";
import { newId } from "@/lib/core/ids";
import { nextRunAfter } from "@/lib/schedules/parse";
import {
  checkAbilityIds,
  checkBatchKey,
  checkFilter,
  checkRateLimits,
  normalizeBatch,
  pickSchedule,
  verificationColumns,
} from "./checks";
import { computeNextTriggerAt, validateTriggerSchedule } from "./schedule";
import {
  DEFAULT_SESSION_DURATION_MS,
  LIMIT_RANGES,
  type CreateTriggerInput,
  type ListTriggersQuery,
  type UpdateTriggerInput,
} from "./schema";
import { eventUrlFor, serializeTrigger } from "./serialize";

type Owner = { ownerId: string };

export async function createTrigger({
  ownerId,
  input,
  baseUrl,
}: Owner & { input: CreateTriggerInput; baseUrl: string }) {
  checkRateLimits(input);
  checkFilter(input.filter);
  const db = await getDb();
  await assertOwnedRef(db, bots, input.botId, ownerId, "botId");
  await assertOwnedRef(db, blueprints, input.blueprintId, ownerId, "blueprintId");
  await checkAbilityIds(db, ownerId, input.abilities);
  checkBatchKey(input.batch);
  const schedule = pickSchedule(input) ?? null;
  const timezone = input.timezone ?? "UTC";
  const field = input.triggerSchedule !== undefined ? "triggerSchedule" : "schedule";
  if (schedule) validateTriggerSchedule(schedule, timezone, field);

  const [{ n }] = await db
    .select({ n: count() })
    .from(triggers)
    .where(eq(triggers.ownerId, ownerId));
  const max = env().MAX_TRIGGERS_PER_OWNER;
  if (n >= max) throw new ApiError("CONFLICT", `You have reached the limit of ${max} triggers`);

  const id = newId("trigger");
  const secret = generateTriggerSecret();
  const reply = replyColumns(input.reply);
  await savingAlias("trigger", input.alias, () =>
    db.insert(triggers).values({
      id,
      ownerId,
      alias: input.alias ?? null,
      name: input.name ?? null,
      description: input.description ?? null,
      botId: input.botId,
      secretEnc: encryptSecret(secret),
      authenticate: input.authenticate,
      schedule,
      timezone,
      sessionDuration: input.sessionDuration ?? DEFAULT_SESSION_DURATION_MS,
      blueprintId: input.blueprintId ?? null,
      meta: input.meta ?? {},
      prompt: input.prompt?.trim() ? input.prompt : null,
      filter: input.filter?.trim() ? input.filter : null,
      ...verificationColumns(input.verification),
      maxIterations: input.maxIterations ?? LIMIT_RANGES.maxIterations.default,
      maxTime: input.maxTime ?? LIMIT_RANGES.maxTime.default,
      rateLimitPerSecond: input.rateLimitPerSecond ?? null,
      rateLimitBurst: input.rateLimitBurst ?? null,
      monthlyTokenBudget: input.monthlyTokenBudget ?? null,
      abilities: input.abilities ?? "all",
      approval: input.approval ?? "none",
      approvalTimeout: input.approvalTimeout ?? LIMIT_RANGES.approvalTimeout.default,
      batch: normalizeBatch(input.batch ?? null),
      onBusy: input.onBusy ?? "queue",
      ...reply?.columns,
      autoPause: input.autoPause ?? null,
      nextTriggerAt: computeNextTriggerAt(schedule, timezone, now()),
    }),
  );
  return {
    id,
    secret,
    eventUrl: eventUrlFor(baseUrl, id),
    // a callback reply's signing secret, made now: shown this once
    ...(reply?.signingSecret && { replySecret: reply.signingSecret }),
  };
}

export async function fetchTrigger({
  ownerId,
  id,
  baseUrl,
}: Owner & { id: string; baseUrl: string }) {
  const db = await getDb();
  return serializeTrigger(
    await getOwnedByRefOrThrow(db, triggers, id, ownerId, "Trigger"),
    baseUrl,
  );
}

export async function updateTrigger({
  ownerId,
  id,
  input,
}: Owner & { id: string; input: UpdateTriggerInput }) {
  checkRateLimits(input);
  checkFilter(input.filter);
  const db = await getDb();
  const current = await getTriggerOrThrow({ ownerId, id });
  const reply = replyColumns(input.reply, current);
  await assertOwnedRef(db, bots, input.botId, ownerId, "botId");
  await assertOwnedRef(db, blueprints, input.blueprintId, ownerId, "blueprintId");
  await checkAbilityIds(db, ownerId, input.abilities);
  checkBatchKey(input.batch);
  const picked = pickSchedule(input);
  const schedule = picked === undefined ? current.schedule : picked;
  const timezone = input.timezone === undefined ? current.timezone : (input.timezone ?? "UTC");
  const scheduleChanged = schedule !== current.schedule || timezone !== current.timezone;
  if (schedule && scheduleChanged)
    validateTriggerSchedule(
      schedule,
      timezone,
      input.triggerSchedule !== undefined ? "triggerSchedule" : "schedule",
    );

  await savingAlias("trigger", input.alias, () =>
    db
      .update(triggers)
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.alias !== undefined && { alias: input.alias }),
        ...(input.description !== undefined && { description: input.description }),
        ...(input.botId !== undefined && { botId: input.botId }),
        ...(input.authenticate !== undefined && { authenticate: input.authenticate }),
        ...(input.sessionDuration !== undefined && {
          sessionDuration: input.sessionDuration ?? DEFAULT_SESSION_DURATION_MS,
        }),
        ...(input.blueprintId !== undefined && { blueprintId: input.blueprintId }),
        ...(input.meta !== undefined && { meta: input.meta }),
        ...(input.prompt !== undefined && { prompt: input.prompt?.trim() ? input.prompt : null }),
        ...(input.filter !== undefined && { filter: input.filter?.trim() ? input.filter : null }),
        ...verificationColumns(input.verification, current),
        ...(input.maxIterations !== undefined && {
          maxIterations: input.maxIterations ?? LIMIT_RANGES.maxIterations.default,
        }),
        ...(input.maxTime !== undefined && {
          maxTime: input.maxTime ?? LIMIT_RANGES.maxTime.default,
        }),
        ...(input.rateLimitPerSecond !== undefined && {
          rateLimitPerSecond: input.rateLimitPerSecond,
        }),
        ...(input.rateLimitBurst !== undefined && { rateLimitBurst: input.rateLimitBurst }),
        ...(input.monthlyTokenBudget !== undefined && {
          monthlyTokenBudget: input.monthlyTokenBudget,
        }),
        ...(input.abilities !== undefined && { abilities: input.abilities ?? "all" }),
        ...(input.approval !== undefined && { approval: input.approval ?? "none" }),
        ...(input.batch !== undefined && { batch: normalizeBatch(input.batch) }),
        ...(input.onBusy !== undefined && { onBusy: input.onBusy ?? "queue" }),
        ...reply?.columns,
        ...(input.autoPause !== undefined && { autoPause: input.autoPause }),
        ...(input.approvalTimeout !== undefined && {
          approvalTimeout: input.approvalTimeout ?? LIMIT_RANGES.approvalTimeout.default,
        }),
        ...(scheduleChanged && {
          schedule,
          timezone,
          nextTriggerAt: computeNextTriggerAt(schedule, timezone, now()),
        }),
      })
      .where(and(eq(triggers.id, id), eq(triggers.ownerId, ownerId))),
  );
  forgetTrigger(id);
  return { id, ...(reply?.signingSecret && { replySecret: reply.signingSecret }) };
}

/** POST .../trigger/{id}/reply/secret/rotate: a callback reply's new signing secret, shown once. */
export async function rotateReplySecret({ ownerId, id }: Owner & { id: string }) {
  const current = await getTriggerOrThrow({ ownerId, id });
  const { columns, signingSecret } = rotatedReplySecret(current);
  const db = await getDb();
  await db.update(triggers).set(columns).where(eq(triggers.id, id));
  forgetTrigger(id);
  return { id, replySecret: signingSecret };
}

/** The trigger, its secret, schedule and event inbox go; conversations and the bot remain. */
export async function deleteTrigger({ ownerId, id }: Owner & { id: string }) {
  const db = await getDb();
  await getTriggerOrThrow({ ownerId, id });
  await db.delete(triggers).where(and(eq(triggers.id, id), eq(triggers.ownerId, ownerId)));
  forgetTrigger(id);
  return { id };
}

export async function listTriggers({
  ownerId,
  query,
  baseUrl,
}: Owner & { query: ListTriggersQuery; baseUrl: string }) {
  const db = await getDb();
  const c = cursorClauses(triggers.id, query);
  const filters: (SQL | undefined)[] = [eq(triggers.ownerId, ownerId), c.where];
  if (query.blueprintId) filters.push(eq(triggers.blueprintId, query.blueprintId));
  if (query.search) filters.push(ilike(triggers.name, containsPattern(query.search)));
  filters.push(metaMatches(triggers.meta, query.meta));
  const rows = await db
    .select()
    .from(triggers)
    .where(and(...filters))
    .orderBy(c.orderBy)
    .limit(c.limit);
  return toPage(
    rows.map((t) => serializeTrigger(t, baseUrl)),
    query.take,
  );
}

/** Validates bot and schedule and recomputes nextTriggerAt; calling it twice changes nothing more. */
export async function setupTrigger({ ownerId, id }: Owner & { id: string }) {
  const db = await getDb();
  const trigger = await getTriggerOrThrow({ ownerId, id });
  const bot = await db
    .select({ id: bots.id })
    .from(bots)
    .where(and(eq(bots.id, trigger.botId), eq(bots.ownerId, ownerId)));
  if (!bot.length)
    throw new ApiError("CONFLICT", "The trigger's bot no longer exists; update botId first");
  const schedule = trigger.schedule
    ? validateTriggerSchedule(trigger.schedule, trigger.timezone)
    : null;
  const current = trigger.nextTriggerAt;
  // An interval's next run is relative to its last one: a still-future one stays.
  const next = !schedule
    ? null
    : schedule.kind === "interval" && current && current > now()
      ? current
      : nextRunAfter(schedule, trigger.timezone, now());
  if ((next?.getTime() ?? null) !== (current?.getTime() ?? null)) {
    await db.update(triggers).set({ nextTriggerAt: next }).where(eq(triggers.id, id));
  }
  return { id };
}

export async function invokeTrigger({
  ownerId,
  id,
  payload,
}: Owner & { id: string; payload: unknown }) {
  const trigger = await getTriggerOrThrow({ ownerId, id });
  const event = await queueEvent({
    trigger,
    kind: "invoke",
    payload: payload && typeof payload === "object" && Object.keys(payload).length ? payload : null,
    contentType: "application/json",
  });
  return { id, eventId: event.id };
}
