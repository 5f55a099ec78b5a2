import { z } from "zod";
import { descriptionField, metaField, nameField } from "@/lib/core/fields";

export const createBlueprintSchema = z.object({
  name: nameField,
  description: descriptionField.nullish(),
  meta: metaField.optional(),
});
export const updateBlueprintSchema = createBlueprintSchema.partial();
