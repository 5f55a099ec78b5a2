import { z } from "zod";
import { aliasField, descriptionField, metaField, nameField } from "@/lib/core/fields";

export const createBlueprintSchema = z.object({
  name: nameField,
  alias: aliasField.nullish(),
  description: descriptionField.nullish(),
  meta: metaField.optional(),
});
export const updateBlueprintSchema = createBlueprintSchema.partial();
