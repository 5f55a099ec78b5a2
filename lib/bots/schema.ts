import { z } from "zod";
import {
  aliasField,
  descriptionField,
  idRef,
  LIMITS,
  metaField,
  nameField,
} from "@/lib/core/fields";

/** `echo` (built in, offline), `openai/<model>`, `anthropic/<model>`, or a bare model name for the OpenAI-compatible provider. */
export const modelField = z
  .string()
  .trim()
  .regex(
    /^[\w.:/@-]{1,100}$/,
    "must be a model name like echo, openai/gpt-4o-mini or anthropic/claude-sonnet-4-5",
  );

export const createBotSchema = z.object({
  name: nameField,
  alias: aliasField.nullish(),
  description: descriptionField.nullish(),
  model: modelField.default("echo"),
  backstory: z.string().max(LIMITS.backstory).nullish(),
  skillsetId: idRef.nullish(),
  blueprintId: idRef.nullish(),
  meta: metaField.optional(),
});

export const updateBotSchema = z.object({
  name: nameField.optional(),
  alias: aliasField.nullish(),
  description: descriptionField.nullish(),
  model: modelField.optional(),
  backstory: z.string().max(LIMITS.backstory).nullish(),
  skillsetId: idRef.nullish(),
  blueprintId: idRef.nullish(),
  meta: metaField.optional(),
});
