import { z } from "zod";
import { splitUrlTemplate } from "@/lib/abilities/template";
import { descriptionField, idRef, metaField, nameField } from "@/lib/api/fields";

export const MAX_ABILITIES_PER_SKILLSET = 50;

export const createSkillsetSchema = z.object({
  name: nameField,
  description: descriptionField.nullish(),
  blueprintId: idRef.nullish(),
  meta: metaField.optional(),
});
export const updateSkillsetSchema = createSkillsetSchema.partial();

const headersField = z
  .record(z.string().regex(/^[A-Za-z0-9-]{1,100}$/, "must be a header name"), z.string().max(4000))
  .refine((h) => Object.keys(h).length <= 20, "at most 20 headers");

const urlTemplate = z
  .string()
  .trim()
  .max(2000)
  .superRefine((u, ctx) => {
    const split = splitUrlTemplate(u);
    if (!split.ok) ctx.addIssue({ code: "custom", message: split.error });
  });

export const httpRequestConfig = z.object({
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).default("GET"),
  url: urlTemplate,
  headers: headersField.optional(),
  body: z.string().max(20_000).optional(),
  timeoutMs: z.number().int().min(500).max(30_000).default(10_000),
});

export const webhookConfig = z.object({
  url: urlTemplate,
  secret: z.string().max(200).optional(),
  headers: headersField.optional(),
  timeoutMs: z.number().int().min(500).max(30_000).default(10_000),
});

// Ability names are tool names for the model: providers accept [a-zA-Z0-9_-]{1,64}.
const abilityName = z
  .string()
  .trim()
  .regex(/^[a-zA-Z0-9_-]{1,64}$/, "must be 1-64 letters, digits, _ or -");

/** The tool's inputs as a JSON Schema object; null: derived from the templates. Checked as JSON Schema by the service. */
const inputSchemaField = z.record(z.string(), z.unknown()).nullish();

const abilityBase = {
  name: abilityName,
  description: descriptionField.nullish(),
  inputSchema: inputSchemaField,
  meta: metaField.optional(),
};

export const createAbilitySchema = z.discriminatedUnion("kind", [
  z.object({ ...abilityBase, kind: z.literal("http_request"), config: httpRequestConfig }),
  z.object({ ...abilityBase, kind: z.literal("webhook"), config: webhookConfig }),
]);

export const updateAbilitySchema = z.object({
  name: abilityName.optional(),
  description: descriptionField.nullish(),
  inputSchema: inputSchemaField,
  meta: metaField.optional(),
  kind: z.enum(["http_request", "webhook"]).optional(),
  config: z.record(z.string(), z.unknown()).optional(),
});
