import "server-only";
import { and, count, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { getDb } from "@/db/client";
import {
  abilities,
  blueprints,
  skillsets,
  type Ability,
  type AbilityEffect,
  type McpTool,
  type Skillset,
} from "@/db/schema";
import { ApiError, notFound, validationError } from "@/lib/core/errors";
import { hasChanges, iso } from "@/lib/core/fields";
import { assertOwnedRef, getOwnedByRefOrThrow, getOwnedOrThrow, savingAlias } from "@/db/owned";
import { cursorClauses, metaMatches, toPage } from "@/db/pages";
import { type ListQuery } from "@/lib/core/list-query";
import { effectiveInputSchema, inputSchemaIssues } from "@/lib/abilities/input-schema";
import { mcpConfig } from "@/lib/abilities/config";
import { defaultEffect } from "@/lib/abilities/effect";
import { discoverTools, mcpProblem } from "@/lib/abilities/mcp";
import { mcpToolViews } from "@/lib/abilities/tools";
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
  alias: s.alias,
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
  /** The tool's parameters as the model sees them: the user's schema, or one derived from the templates (null for an MCP server: each tool has its own). */
  inputSchema: a.kind === "mcp" ? null : effectiveInputSchema(a),
  inputSchemaSource:
    a.kind === "mcp" ? null : a.inputSchema ? ("custom" as const) : ("derived" as const),
  /** An MCP server's tools as last discovered, each with its effect and whether it is offered. */
  ...(a.kind === "mcp" && {
    tools: mcpToolViews(a),
    toolsDiscoveredAt: iso(a.toolsDiscoveredAt),
  }),
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
  await savingAlias("skillset", input.alias, () =>
    db.insert(skillsets).values({
      id,
      ownerId,
      alias: input.alias ?? null,
      name: input.name,
      description: input.description ?? null,
      blueprintId: input.blueprintId ?? null,
      meta: input.meta ?? {},
    }),
  );
  return { id };
}

export async function fetchSkillset({ ownerId, id }: Owner & { id: string }) {
  const db = await getDb();
  return serializeSkillset(await getOwnedByRefOrThrow(db, skillsets, id, ownerId, "Skillset"));
}

export async function updateSkillset({
  ownerId,
  id,
  input,
}: Owner & { id: string; input: z.infer<typeof updateSkillsetSchema> }) {
  const db = await getDb();
  await getOwnedOrThrow(db, skillsets, id, ownerId, "Skillset");
  await assertOwnedRef(db, blueprints, input.blueprintId, ownerId, "blueprintId");
  if (hasChanges(input))
    await savingAlias("skillset", input.alias, () =>
      db.update(skillsets).set(input).where(eq(skillsets.id, id)),
    );
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
  checkInputSchema(input.inputSchema, input.kind);
  checkEffect(input.effect, input.kind);
  const discovered = input.kind === "mcp" ? await toolsOfServer(input.config, "config.url") : null;
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
    effect: input.effect ?? abilityEffect(input.kind, config, discovered),
    tools: discovered,
    toolsDiscoveredAt: discovered && new Date(),
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
  checkInputSchema(input.inputSchema, merged.data.kind);
  checkEffect(input.effect, merged.data.kind);
  // an MCP server is asked for its tools again when where or how it is reached changed
  const reconnect =
    merged.data.kind === "mcp" &&
    (current.kind !== "mcp" ||
      input.config?.url !== undefined ||
      input.config?.headers !== undefined ||
      !current.tools);
  const discovered =
    merged.data.kind !== "mcp"
      ? null
      : reconnect
        ? await toolsOfServer(merged.data.config, "config.url")
        : checkChosenTools(merged.data.config, current.tools ?? []);
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
        : (input.config || input.kind) && {
            effect: abilityEffect(merged.data.kind, config, discovered),
          }),
      tools: discovered,
      ...(reconnect && { toolsDiscoveredAt: new Date() }),
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

/**
 * POST .../ability/{id}/refresh: asks the MCP server for its tools again and stores them; the
 * owner's choices (config.tools, config.effects) stay, for the tools still there.
 */
export async function refreshAbilityTools({
  ownerId,
  skillsetId,
  id,
}: Owner & { skillsetId: string; id: string }) {
  const current = await getAbilityOrThrow(ownerId, skillsetId, id);
  if (current.kind !== "mcp")
    throw new ApiError("CONFLICT", "Only an MCP server's abilities have tools to refresh");
  const config = mcpConfig.parse({
    ...splitCredentials(current.config).config,
    ...readCredentials(current),
  });
  let tools: McpTool[];
  try {
    tools = await discoverTools(config);
  } catch (error) {
    throw new ApiError(
      "UPSTREAM_ERROR",
      `The MCP server did not list its tools: ${mcpProblem(error)}`,
    );
  }
  const db = await getDb();
  const [row] = await db
    .update(abilities)
    .set({
      tools,
      toolsDiscoveredAt: new Date(),
      effect: abilityEffect("mcp", current.config, tools),
    })
    .where(eq(abilities.id, id))
    .returning();
  return serializeAbility(row);
}

/** POST .../ability/discover: an MCP server's tools for the form, nothing stored. */
export async function previewServerTools({
  ownerId,
  skillsetId,
  config,
}: Owner & { skillsetId: string; config: Record<string, unknown> }) {
  const db = await getDb();
  await getOwnedOrThrow(db, skillsets, skillsetId, ownerId, "Skillset");
  const tools = await toolsOfServer({ ...config, tools: null }, "config.url");
  return { tools: mcpToolViews({ config: {}, tools }) };
}

/** The server's tools, or 422 at `path` saying why they could not be listed. */
async function toolsOfServer(config: Record<string, unknown>, path: string): Promise<McpTool[]> {
  const parsed = mcpConfig.parse(config);
  let tools: McpTool[];
  try {
    tools = await discoverTools(parsed);
  } catch (error) {
    const message = `could not list the MCP server's tools: ${mcpProblem(error)}`;
    throw new ApiError("VALIDATION_ERROR", `Invalid body: ${path}: ${message}`, {
      issues: [{ path, message }],
    });
  }
  return checkChosenTools(parsed, tools);
}

/** The tools chosen in config.tools and config.effects must be the server's: else 422 naming one. */
function checkChosenTools(config: Record<string, unknown>, tools: McpTool[]): McpTool[] {
  const names = new Set(tools.map((t) => t.name));
  const chosen = mcpConfig.partial().parse(config);
  const unknown = [...(chosen.tools ?? []), ...Object.keys(chosen.effects ?? {})].find(
    (n) => !names.has(n),
  );
  if (unknown !== undefined) {
    const path = chosen.tools?.includes(unknown) ? "config.tools" : `config.effects.${unknown}`;
    const message = `the server has no tool named "${unknown}"`;
    throw new ApiError("VALIDATION_ERROR", `Invalid body: ${path}: ${message}`, {
      issues: [{ path, message }],
    });
  }
  return tools;
}

/** An MCP server's effect follows its tools: each tool's is set in config.effects. */
function checkEffect(effect: AbilityEffect | undefined, kind: Ability["kind"]) {
  if (effect && kind === "mcp")
    throw new ApiError(
      "VALIDATION_ERROR",
      "Invalid body: effect: an MCP server's tools each have their own; set them in config.effects",
      {
        issues: [{ path: "effect", message: "is set per tool for an MCP server (config.effects)" }],
      },
    );
}

/** An MCP server writes if any tool it offers does; other kinds have their default. */
function abilityEffect(
  kind: Ability["kind"],
  config: Record<string, unknown>,
  tools: McpTool[] | null,
): AbilityEffect {
  if (kind !== "mcp") return defaultEffect(kind, config);
  const offered = mcpToolViews({ config, tools }).filter((t) => t.enabled);
  return offered.some((t) => t.effect === "write") ? "write" : "read";
}

/** A user-written input schema must be a usable JSON Schema object: else 422 at the mistake's path. */
function checkInputSchema(
  schema: Record<string, unknown> | null | undefined,
  kind: Ability["kind"],
) {
  if (!schema) return;
  if (kind === "mcp")
    throw new ApiError(
      "VALIDATION_ERROR",
      "Invalid body: inputSchema: an MCP server's tools bring their own input schemas",
      { issues: [{ path: "inputSchema", message: "is not used by an MCP server's tools" }] },
    );
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
