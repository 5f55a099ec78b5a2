import { and, asc, desc, gt, lt, sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { ListQuery } from "@/lib/core/list-query";

/** Keyset pagination on a time-sortable id column: no OFFSET, no count. */
export function cursorClauses(
  idColumn: AnyColumn,
  q: ListQuery,
): { where?: SQL; orderBy: SQL; limit: number } {
  const where = q.cursor
    ? q.order === "asc"
      ? gt(idColumn, q.cursor)
      : lt(idColumn, q.cursor)
    : undefined;
  return { where, orderBy: q.order === "asc" ? asc(idColumn) : desc(idColumn), limit: q.take + 1 };
}

/** Given `take + 1` rows, the page and the cursor for the next one (absent on the last page). */
export function toPage<T extends { id: string }>(
  rows: T[],
  take: number,
): { items: T[]; cursor?: string } {
  if (rows.length <= take) return { items: rows };
  const items = rows.slice(0, take);
  return { items, cursor: items[items.length - 1].id };
}

/** The `meta.KEY=VALUE` filters as SQL on a jsonb `meta` column. */
export function metaMatches(column: AnyColumn, meta?: Record<string, string>): SQL | undefined {
  const pairs = Object.entries(meta ?? {});
  if (!pairs.length) return undefined;
  return and(...pairs.map(([key, value]) => sql`${column}->>${key} = ${value}`));
}

/** An ILIKE pattern that matches `text` anywhere, with LIKE's wildcards taken literally. */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
