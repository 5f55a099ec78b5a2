import "server-only";
import { createDb, type Db } from "./connect";

export type { Db } from "./connect";

// Next.js bundles route handlers separately; one instance per process lives on
// globalThis so two copies never open the same PGlite directory.
const globalForDb = globalThis as unknown as { __dbPromise?: Promise<Db> };

/** The rows of `db.execute(...)`: postgres.js answers an array, PGlite `{ rows }`. */
export const rowsOf = <T>(result: unknown): T[] =>
  (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];

/** The client the event runs use: on PostgreSQL a small pool of their own (`Db.$run`). */
export async function getRunDb(): Promise<Db> {
  return (await getDb()).$run;
}

/** The process's database, opened and migrated on first use. */
export function getDb(): Promise<Db> {
  globalForDb.__dbPromise ??= createDb().catch((error) => {
    globalForDb.__dbPromise = undefined;
    throw error;
  });
  return globalForDb.__dbPromise;
}
