import "server-only";
import { and, eq, type SQL } from "drizzle-orm";
import type { z } from "zod";
import { getDb } from "@/db/client";
import { blueprints, type Blueprint } from "@/db/schema";
import { hasChanges, iso } from "@/lib/core/fields";
import { getOwnedByRefOrThrow, getOwnedOrThrow, savingAlias } from "@/db/owned";
import { cursorClauses, metaMatches, toPage } from "@/db/pages";
import { type ListQuery } from "@/lib/core/list-query";
import { newId } from "@/lib/core/ids";
import type { createBlueprintSchema, updateBlueprintSchema } from "./schema";

export const serializeBlueprint = (b: Blueprint) => ({
  id: b.id,
  alias: b.alias,
  name: b.name,
  description: b.description,
  meta: b.meta,
  createdAt: iso(b.createdAt),
  updatedAt: iso(b.updatedAt),
});

type Owner = { ownerId: string };

export async function createBlueprint({
  ownerId,
  input,
}: Owner & { input: z.infer<typeof createBlueprintSchema> }) {
  const db = await getDb();
  const id = newId("blueprint");
  await savingAlias("blueprint", input.alias, () =>
    db.insert(blueprints).values({
      id,
      ownerId,
      alias: input.alias ?? null,
      name: input.name,
      description: input.description ?? null,
      meta: input.meta ?? {},
    }),
  );
  return { id };
}

export async function fetchBlueprint({ ownerId, id }: Owner & { id: string }) {
  const db = await getDb();
  return serializeBlueprint(await getOwnedByRefOrThrow(db, blueprints, id, ownerId, "Blueprint"));
}

export async function updateBlueprint({
  ownerId,
  id,
  input,
}: Owner & { id: string; input: z.infer<typeof updateBlueprintSchema> }) {
  const db = await getDb();
  await getOwnedOrThrow(db, blueprints, id, ownerId, "Blueprint");
  if (hasChanges(input))
    await savingAlias("blueprint", input.alias, () =>
      db.update(blueprints).set(input).where(eq(blueprints.id, id)),
    );
  return { id };
}

/** Resources in the blueprint stay; their blueprintId becomes null (ON DELETE SET NULL). */
export async function deleteBlueprint({ ownerId, id }: Owner & { id: string }) {
  const db = await getDb();
  await getOwnedOrThrow(db, blueprints, id, ownerId, "Blueprint");
  await db.delete(blueprints).where(and(eq(blueprints.id, id), eq(blueprints.ownerId, ownerId)));
  return { id };
}

export async function listBlueprints({
  ownerId,
  query,
}: Owner & { query: ListQuery & { meta?: Record<string, string> } }) {
  const db = await getDb();
  const c = cursorClauses(blueprints.id, query);
  const where: (SQL | undefined)[] = [
    eq(blueprints.ownerId, ownerId),
    c.where,
    metaMatches(blueprints.meta, query.meta),
  ];
  const rows = await db
    .select()
    .from(blueprints)
    .where(and(...where))
    .orderBy(c.orderBy)
    .limit(c.limit);
  return toPage(rows.map(serializeBlueprint), query.take);
}
