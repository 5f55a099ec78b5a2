import { z } from "zod";
import { httpRequestConfig, mcpConfig, webhookConfig } from "@/lib/abilities/config";
import { ABILITY_EFFECTS } from "@/lib/abilities/effect";
import { aliasField, descriptionField, idRef, metaField, nameField } from "@/lib/core/fields";

export const MAX_ABILITIES_PER_SKILLSET = 50;

export const createSkillsetSchema = z.object({
  name: nameField,
  alias: aliasField.nullish(),
  description: descriptionField.nullish(),
  blueprintId: idRef.nullish(),
  meta: metaField.optional(),
});
export const updateSkillsetSchema = createSkillsetSchema.partial();

// Ability names are tool names for the model: providers accept [a-zA-Z0-9_-]{1,64}.
const abilityName = z
  .string()
  .trim()
  .regex(/^[a-zA-Z0-9_-]{1,64}$/, "must be 1-64 letters, digits, _ or -");

/** The tool's inputs as a JSON Schema object; null: derived from the templates. Checked as JSON Schema by the service. */
const inputSchemaField = z.record(z.string(), z.unknown()).nullish();

/** read or write; absent: read for an HTTP GET, write for everything else (lib/abilities/effect.ts). */
const effectField = z.enum(ABILITY_EFFECTS, { error: 'must be "read" or "write"' });

const abilityBase = {
  name: abilityName,
  description: descriptionField.nullish(),
  inputSchema: inputSchemaField,
  effect: effectField.optional(),
  meta: metaField.optional(),
};

export const createAbilitySchema = z.discriminatedUnion("kind", [
  z.object({ ...abilityBase, kind: z.literal("http_request"), config: httpRequestConfig }),
  z.object({ ...abilityBase, kind: z.literal("webhook"), config: webhookConfig }),
  z.object({ ...abilityBase, kind: z.literal("mcp"), config: mcpConfig }),
]);

/** "Test connection" in the ability form: an MCP server's tools, before anything is saved. */
export const discoverToolsSchema = z.object({
  config: mcpConfig.pick({ url: true, headers: true, timeoutMs: true }),
});

export const updateAbilitySchema = z.object({
  name: abilityName.optional(),
  description: descriptionField.nullish(),
  inputSchema: inputSchemaField,
  effect: effectField.optional(),
  meta: metaField.optional(),
  kind: z.enum(["http_request", "webhook", "mcp"]).optional(),
  config: z.record(z.string(), z.unknown()).optional(),
});
