import "server-only";
import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import { getDb } from "@/db/client";
import { blueprints, bots, skillsets, triggers, type Bot } from "@/db/schema";
import { ApiError } from "@/lib/core/errors";
import { hasChanges, iso } from "@/lib/core/fields";
import { assertOwnedRef, getOwnedByRefOrThrow, getOwnedOrThrow, savingAlias } from "@/db/owned";
import { cursorClauses, metaMatches, toPage } from "@/db/pages";
import { type ListQuery } from "@/lib/core/list-query";
import { newId } from "@/lib/core/ids";
import { modelChoiceError } from "@/lib/models";
import type { createBotSchema, updateBotSchema } from "./schema";

export const serializeBot = (b: Bot) => ({
  id: b.id,
  alias: b.alias,
  name: b.name,
  description: b.description,
  model: b.model,
  backstory: b.backstory,
  skillsetId: b.skillsetId,
  blueprintId: b.blueprintId,
  meta: b.meta,
  createdAt: iso(b.createdAt),
  updatedAt: iso(b.updatedAt),
});

type Owner = { ownerId: string };
type BotRefs = { skillsetId?: string | null; blueprintId?: string | null };

async function checkRefs(ownerId: string, input: BotRefs & { model?: string }) {
  const modelIssue = input.model === undefined ? null : await modelChoiceError(input.model);
  if (modelIssue)
    throw new ApiError("VALIDATION_ERROR", `Invalid body: model ${modelIssue.message}`, {
      issues: [modelIssue],
    });
  const db = await getDb();
  await assertOwnedRef(db, skillsets, input.skillsetId, ownerId, "skillsetId");
  await assertOwnedRef(db, blueprints, input.blueprintId, ownerId, "blueprintId");
}

export async function createBot({
  ownerId,
  input,
}: Owner & { input: z.infer<typeof createBotSchema> }) {
  await checkRefs(ownerId, input);
  const db = await getDb();
  const id = newId("bot");
  await savingAlias("bot", input.alias, () =>
    db.insert(bots).values({
      id,
      ownerId,
      alias: input.alias ?? null,
      name: input.name,
      description: input.description ?? null,
      model: input.model,
      backstory: input.backstory ?? null,
      skillsetId: input.skillsetId ?? null,
      blueprintId: input.blueprintId ?? null,
      meta: input.meta ?? {},
    }),
  );
  return { id };
}

export async function fetchBot({ ownerId, id }: Owner & { id: string }) {
  const db = await getDb();
  return serializeBot(await getOwnedByRefOrThrow(db, bots, id, ownerId, "Bot"));
}

export async function updateBot({
  ownerId,
  id,
  input,
}: Owner & { id: string; input: z.infer<typeof updateBotSchema> }) {
  const db = await getDb();
  await getOwnedOrThrow(db, bots, id, ownerId, "Bot");
  await checkRefs(ownerId, input);
  if (hasChanges(input))
    await savingAlias("bot", input.alias, () => db.update(bots).set(input).where(eq(bots.id, id)));
  return { id };
}

/** Refused while triggers use the bot: deleting it would orphan their events. */
export async function deleteBot({ ownerId, id }: Owner & { id: string }) {
  const db = await getDb();
  await getOwnedOrThrow(db, bots, id, ownerId, "Bot");
  const users = await db
    .select({ id: triggers.id, name: triggers.name })
    .from(triggers)
    .where(and(eq(triggers.botId, id), eq(triggers.ownerId, ownerId)))
    .limit(20);
  if (users.length) {
    const names = users.map((t) => (t.name ? `${t.name} (${t.id})` : t.id)).join(", ");
    throw new ApiError(
      "CONFLICT",
      `The bot is used by triggers: ${names}. Delete them or move them to another bot first.`,
      {
        triggerIds: users.map((t) => t.id),
      },
    );
  }
  await db.delete(bots).where(and(eq(bots.id, id), eq(bots.ownerId, ownerId)));
  return { id };
}

export async function listBots({
  ownerId,
  query,
}: Owner & { query: ListQuery & { blueprintId?: string; meta?: Record<string, string> } }) {
  const db = await getDb();
  const c = cursorClauses(bots.id, query);
  const rows = await db
    .select()
    .from(bots)
    .where(
      and(
        eq(bots.ownerId, ownerId),
        c.where,
        query.blueprintId ? eq(bots.blueprintId, query.blueprintId) : undefined,
        metaMatches(bots.meta, query.meta),
      ),
    )
    .orderBy(c.orderBy)
    .limit(c.limit);
  return toPage(rows.map(serializeBot), query.take);
}
