import "server-only";
import { sql } from "drizzle-orm";
import { getDb, rowsOf } from "./client";

/** How often a database without autovacuum is vacuumed by the server. */
export const VACUUM_EVERY_MS = 5 * 60_000;

/**
 * Every event's status changes (queued, processing, completed) leave dead row
 * versions behind, and retention leaves deleted rows; PostgreSQL's autovacuum
 * reclaims them and keeps the planner's statistics current. The embedded
 * database (PGlite, one process in single-user mode) runs no autovacuum, and a
 * PostgreSQL may have it turned off: there the server vacuums and analyzes the
 * database itself, so tables and indexes stop growing with each event's
 * updates and the planner sees how many events a trigger has. With autovacuum
 * on, nothing is done. Returns whether it vacuumed.
 */
export async function vacuumUnattended(): Promise<boolean> {
  const db = await getDb();
  if (db.$dialect === "postgres") {
    const [setting] = rowsOf<{ on: boolean }>(
      await db.execute(
        sql`select current_setting('autovacuum') = 'on' and current_setting('track_counts') = 'on' as on`,
      ),
    );
    if (setting?.on) return false;
  }
  await db.execute(sql`vacuum (analyze)`);
  return true;
}
