import { z } from "zod";
import { metaFilter } from "./fields";

// The query of every list route (cursor, take, order, meta.*): the route validates it and the
// browser builds it from the same schema; db/pages.ts turns it into SQL.

export const listQuerySchema = z.object({
  cursor: z.string().max(100).optional(),
  take: z.coerce.number().int().min(1).max(100).default(20),
  order: z.enum(["asc", "desc"]).default("desc"),
});

export type ListQuery = z.infer<typeof listQuerySchema>;

/** Lists of records that carry `meta` filter on it: `?meta.team=ops` (every pair must match). */
export const listWithMetaQuerySchema = listQuerySchema.extend({ meta: metaFilter.optional() });

export const listWithBlueprintQuerySchema = listWithMetaQuerySchema.extend({
  blueprintId: z.string().max(100).optional(),
});

/** Lists whose records have no `meta`: a meta.* filter is refused, never silently ignored. */
export const listWithoutMetaQuerySchema = listQuerySchema.extend({
  meta: z
    .record(z.string(), z.string())
    .refine((m) => !Object.keys(m).length, "meta.* filters are not supported on this list")
    .optional(),
});
