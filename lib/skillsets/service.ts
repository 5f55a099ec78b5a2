import "server-only";
import { and, count, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { getDb } from "@/db/client";
import { abilities, blueprints, skillsets, type Ability, type Skillset } from "@/db/schema";
import { ApiError, notFound, validationError } from "@/lib/core/errors";
import { iso } from "@/lib/core/fields";
import { assertOwnedRef, getOwnedOrThrow } from "@/db/owned";
import { cursorClauses, metaMatches, toPage } from "@/db/pages";
import { type ListQuery } from "@/lib/core/list-query";
import { effectiveInputSchema, inputSchemaIssues } from "@/lib/abilities/input-schema";
import { defaultEffect } from "@/lib/abilities/effect";
import { splitUrlTemplate } from "@/lib/abilities/template";
import { newId } from "@/lib/core/ids";
import {
  mergeCredentials,
  publicConfig,
  readCredentials,
  sealCredentials,
  splitCredentials,
} from "@/lib/abilities/credentials";
import {
  createAbilitySchema,
  MAX_ABILITIES_PER_SKILLSET,
  type createSkillsetSchema,
  type updateAbilitySchema,
  type updateSkillsetSchema,
} from "./schema";

export const serializeSkillset = (s: Skillset) => ({
  id: s.id,
  name: s.name,
  description: s.description,
  blueprintId: s.blueprintId,
  meta: s.meta,
  createdAt: iso(s.createdAt),
  updatedAt: iso(s.updatedAt),
});

export const serializeAbility = (a: Ability) => ({
  id: a.id,
  skillsetId: a.skillsetId,
  name: a.name,
  description: a.description,
  kind: a.kind,
  config: publicConfig(a),
  /** The tool's parameters as the model sees them: the user's schema, or one derived from the templates. */
  inputSchema: effectiveInputSchema(a),
  inputSchemaSource: a.inputSchema ? ("custom" as const) : ("derived" as const),
  /** read or write: a trigger may offer only read abilities, or hold write calls for approval. */
  effect: a.effect,
  meta: a.meta,
  createdAt: iso(a.createdAt),
  updatedAt: iso(a.updatedAt),
});

type Owner = { ownerId: string };

export async function createSkillset({
  ownerId,
  input,
}: Owner & { input: z.infer<typeof createSkillsetSchema> }) {
  const db = await getDb();
  await assertOwnedRef(db, blueprints, input.blueprintId, ownerId, "blueprintId");
  const id = newId("skillset");
  await db.insert(skillsets).values({
    id,
    ownerId,
    name: input.name,
    description: input.description ?? null,
    blueprintId: input.blueprintId ?? null,
    meta: input.meta ?? {},
  });
  return { id };
}

export async function fetchSkillset({ ownerId, id }: Owner & { id: string }) {
  const db = await getDb();
  return serializeSkillset(await getOwnedOrThrow(db, skillsets, id, ownerId, "Skillset"));
}

export async function updateSkillset({
  ownerId,
  id,
  input,
}: Owner & { id: string; input: z.infer<typeof updateSkillsetSchema> }) {
  const db = await getDb();
  await getOwnedOrThrow(db, skillsets, id, ownerId, "Skillset");
  await assertOwnedRef(db, blueprints, input.blueprintId, ownerId, "blueprintId");
  await db.update(skillsets).set(input).where(eq(skillsets.id, id));
  return { id };
}

/** Its abilities go with it; bots using it keep running without tools (skillsetId becomes null). */
export async function deleteSkillset({ ownerId, id }: Owner & { id: string }) {
  const db = await getDb();
  await getOwnedOrThrow(db, skillsets, id, ownerId, "Skillset");
  await db.delete(skillsets).where(and(eq(skillsets.id, id), eq(skillsets.ownerId, ownerId)));
  return { id };
}

export async function listSkillsets({
  ownerId,
  query,
}: Owner & { query: ListQuery & { blueprintId?: string; meta?: Record<string, string> } }) {
  const db = await getDb();
  const c = cursorClauses(skillsets.id, query);
  const rows = await db
    .select()
    .from(skillsets)
    .where(
      and(
        eq(skillsets.ownerId, ownerId),
        c.where,
        query.blueprintId ? eq(skillsets.blueprintId, query.blueprintId) : undefined,
        metaMatches(skillsets.meta, query.meta),
      ),
    )
    .orderBy(c.orderBy)
    .limit(c.limit);
  return toPage(rows.map(serializeSkillset), query.take);
}

export async function createAbility({
  ownerId,
  skillsetId,
  input,
}: Owner & { skillsetId: string; input: z.infer<typeof createAbilitySchema> }) {
  const db = await getDb();
  await getOwnedOrThrow(db, skillsets, skillsetId, ownerId, "Skillset");
  const [{ n }] = await db
    .select({ n: count() })
    .from(abilities)
    .where(eq(abilities.skillsetId, skillsetId));
  if (n >= MAX_ABILITIES_PER_SKILLSET) {
    throw new ApiError(
      "CONFLICT",
      `A skillset holds at most ${MAX_ABILITIES_PER_SKILLSET} abilities`,
    );
  }
  mergeCredentials(input.config, {}); // a masked value has nothing to stand for here: 422
  checkInputSchema(input.inputSchema);
  const { config, credentials } = splitCredentials(input.config);
  const id = newId("ability");
  await db.insert(abilities).values({
    id,
    ownerId,
    skillsetId,
    name: input.name,
    description: input.description ?? null,
    kind: input.kind,
    config,
    inputSchema: input.inputSchema ?? null,
    secretsEnc: sealCredentials(credentials),
    effect: input.effect ?? defaultEffect(input.kind, config),
    meta: input.meta ?? {},
  });
  return { id };
}

async function getAbilityOrThrow(ownerId: string, skillsetId: string, abilityId: string) {
  const db = await getDb();
  const ability = await getOwnedOrThrow(db, abilities, abilityId, ownerId, "Ability");
  if (ability.skillsetId !== skillsetId) throw notFound("Ability");
  return ability;
}

export async function fetchAbility({
  ownerId,
  skillsetId,
  id,
}: Owner & { skillsetId: string; id: string }) {
  return serializeAbility(await getAbilityOrThrow(ownerId, skillsetId, id));
}

export async function updateAbility({
  ownerId,
  skillsetId,
  id,
  input,
}: Owner & { skillsetId: string; id: string; input: z.infer<typeof updateAbilitySchema> }) {
  const current = await getAbilityOrThrow(ownerId, skillsetId, id);
  // Stored credentials go only where they went before: pointing the ability at another
  // origin needs them sent again (else a changed URL would carry them to anyone).
  const stored = sameOrigin(current.config.url, input.config?.url ?? current.config.url)
    ? readCredentials(current)
    : {};
  // Kind and config are validated together, against the merged record; credentials
  // the request leaves out (or sends back masked) are the stored ones.
  const merged = createAbilitySchema.safeParse({
    name: input.name ?? current.name,
    kind: input.kind ?? current.kind,
    config: mergeCredentials(input.config ?? splitCredentials(current.config).config, stored),
  });
  if (!merged.success) throw validationError(merged.error);
  checkInputSchema(input.inputSchema);
  const { config, credentials } = splitCredentials(merged.data.config);
  const db = await getDb();
  await db
    .update(abilities)
    .set({
      name: merged.data.name,
      kind: merged.data.kind,
      config,
      secretsEnc: sealCredentials(credentials),
      // a changed request falls back to its default effect unless the update names one
      ...(input.effect
        ? { effect: input.effect }
        : (input.config || input.kind) && { effect: defaultEffect(merged.data.kind, config) }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.inputSchema !== undefined && { inputSchema: input.inputSchema }),
      ...(input.meta && { meta: input.meta }),
    })
    .where(eq(abilities.id, id));
  return { id };
}

export async function deleteAbility({
  ownerId,
  skillsetId,
  id,
}: Owner & { skillsetId: string; id: string }) {
  await getAbilityOrThrow(ownerId, skillsetId, id);
  const db = await getDb();
  await db.delete(abilities).where(eq(abilities.id, id));
  return { id };
}

export async function listAbilities({
  ownerId,
  skillsetId,
  query,
}: Owner & { skillsetId: string; query: ListQuery & { meta?: Record<string, string> } }) {
  const db = await getDb();
  await getOwnedOrThrow(db, skillsets, skillsetId, ownerId, "Skillset");
  const c = cursorClauses(abilities.id, query);
  const rows = await db
    .select()
    .from(abilities)
    .where(
      and(
        eq(abilities.skillsetId, skillsetId),
        eq(abilities.ownerId, ownerId),
        c.where,
        metaMatches(abilities.meta, query.meta),
      ),
    )
    .orderBy(c.orderBy)
    .limit(c.limit);
  return toPage(rows.map(serializeAbility), query.take);
}

/** A user-written input schema must be a usable JSON Schema object: else 422 at the mistake's path. */
function checkInputSchema(schema: Record<string, unknown> | null | undefined) {
  if (!schema) return;
  const issues = inputSchemaIssues(schema);
  if (issues.length)
    throw new ApiError(
      "VALIDATION_ERROR",
      `Invalid body: ${issues[0].path}: ${issues[0].message}`,
      {
        issues,
      },
    );
}

function sameOrigin(a: unknown, b: unknown): boolean {
  if (typeof a !== "string" || typeof b !== "string") return a === b;
  const x = splitUrlTemplate(a);
  const y = splitUrlTemplate(b);
  return x.ok && y.ok && x.origin.origin === y.origin.origin;
}

/**
 * Abilities saved by the first release kept header values and webhook secrets
 * in their plain config: encrypt them at start-up (once; a no-op afterwards).
 */
export async function sealLegacyCredentials(): Promise<number> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(abilities)
    .where(sql`${abilities.config} ? 'headers' or ${abilities.config} ? 'secret'`);
  for (const row of rows) {
    const { config } = splitCredentials(row.config);
    await db
      .update(abilities)
      .set({ config, secretsEnc: sealCredentials(readCredentials(row)) })
      .where(and(eq(abilities.id, row.id), eq(abilities.updatedAt, row.updatedAt)));
  }
  return rows.length;
}
