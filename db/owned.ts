import "server-only";
import { and, eq, or, type InferSelectModel } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { getDb, type Db } from "./client";
import { triggers } from "./schema";
import { ApiError, notFound, uniqueViolation } from "@/lib/core/errors";

type OwnedTable = PgTable & { id: PgColumn; ownerId: PgColumn };

/** The row when it exists and belongs to the owner; another owner's id reads as missing. */
export async function findOwned<T extends OwnedTable>(
  db: Db,
  table: T,
  id: string,
  ownerId: string,
) {
  const rows = await db
    .select()
    .from(table as PgTable)
    .where(and(eq(table.id, id), eq(table.ownerId, ownerId)))
    .limit(1);
  return rows[0] as InferSelectModel<T> | undefined;
}

export async function getOwnedOrThrow<T extends OwnedTable>(
  db: Db,
  table: T,
  id: string,
  ownerId: string,
  label: string,
) {
  const row = await findOwned(db, table, id, ownerId);
  if (!row) throw notFound(label);
  return row;
}

type AliasedTable = OwnedTable & { alias: PgColumn };

/** The owner's row whose id or alias is `ref` (fetch accepts either), or 404. */
export async function getOwnedByRefOrThrow<T extends AliasedTable>(
  db: Db,
  table: T,
  ref: string,
  ownerId: string,
  label: string,
) {
  const rows = await db
    .select()
    .from(table as PgTable)
    .where(and(or(eq(table.id, ref), eq(table.alias, ref)), eq(table.ownerId, ownerId)))
    .limit(1);
  if (!rows[0]) throw notFound(label);
  return rows[0] as InferSelectModel<T>;
}

/**
 * A write that may set an alias: the alias another of the owner's rows of this kind has already
 * is a 409 that names it, not a 500.
 */
export async function savingAlias<R>(
  label: string,
  alias: string | null | undefined,
  write: () => Promise<R>,
): Promise<R> {
  try {
    return await write();
  } catch (error) {
    if (alias && uniqueViolation(error)?.endsWith("_alias_uq"))
      throw new ApiError("CONFLICT", `The alias "${alias}" is already used by another ${label}`, {
        issues: [{ path: "alias", message: "is already used" }],
      });
    throw error;
  }
}

/** A reference in a request body (botId, skillsetId, ...) must name one of the caller's rows. */
export async function assertOwnedRef<T extends OwnedTable>(
  db: Db,
  table: T,
  id: string | null | undefined,
  ownerId: string,
  field: string,
) {
  if (!id) return;
  if (!(await findOwned(db, table, id, ownerId))) {
    throw new ApiError("VALIDATION_ERROR", `Invalid body: ${field}: no such resource`, {
      issues: [{ path: field, message: "no such resource" }],
    });
  }
}

/** The caller's trigger, or 404: where every trigger-scoped route and service starts. */
export async function getTriggerOrThrow({ ownerId, id }: { ownerId: string; id: string }) {
  return getOwnedOrThrow(await getDb(), triggers, id, ownerId, "Trigger");
}
