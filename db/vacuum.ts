import "server-only";
import { sql } from "drizzle-orm";
import { log } from "@/lib/observability/log";
import { getDb, rowsOf } from "./client";

/** How often a database without autovacuum is looked at. */
export const VACUUM_CHECK_MS = 60_000;

// PostgreSQL's autovacuum defaults: a table is vacuumed once its dead rows exceed 50 plus a fifth
// of its rows, analyzed once the rows changed since its last analyze exceed 50 plus a tenth.
const VACUUM_BASE = 50;
const VACUUM_SHARE = 0.2;
const ANALYZE_BASE = 50;
const ANALYZE_SHARE = 0.1;

/**
 * Every event's status changes (queued, processing, completed) leave dead row
 * versions behind, and retention leaves deleted rows; PostgreSQL's autovacuum
 * reclaims them and keeps the planner's statistics current. The embedded
 * database (PGlite, one process in single-user mode) runs no autovacuum, and a
 * PostgreSQL may have it turned off: there the server does what autovacuum
 * would, with its thresholds, from the database's own counters of dead and
 * changed rows, table by table. A table that did not change is left alone, so
 * an empty table is never analyzed as empty just before a burst fills it. With
 * autovacuum on, nothing is done (null).
 */
export async function vacuumUnattended(): Promise<{
  vacuumed: string[];
  analyzed: string[];
} | null> {
  const db = await getDb();
  if (db.$dialect === "postgres") {
    const [setting] = rowsOf<{ on: boolean }>(
      await db.execute(
        sql`select current_setting('autovacuum') = 'on' and current_setting('track_counts') = 'on' as on`,
      ),
    );
    if (setting?.on) return null;
  }
  const tables = rowsOf<{ name: string; vacuum: boolean; analyze: boolean }>(
    await db.execute(sql`
      select s.relname as name,
        s.n_dead_tup > ${VACUUM_BASE} + ${VACUUM_SHARE} * greatest(c.reltuples, 0) as vacuum,
        s.n_mod_since_analyze > ${ANALYZE_BASE} + ${ANALYZE_SHARE} * greatest(c.reltuples, 0) as analyze
      from pg_stat_user_tables s join pg_class c on c.oid = s.relid
      where s.schemaname = 'public'
      order by s.relname`),
  );
  // embedded, the work holds the server's thread: statistics from a sample of 3,000 rows (a
  // target of 10) rather than 30,000 take a tenth of the time (a messages table's analyze at
  // 30,000 rows: 250 ms), and the plans here need no finer histograms than that
  if (db.$dialect === "pglite") await db.execute(sql`set default_statistics_target = 10`);
  const done = { vacuumed: [] as string[], analyzed: [] as string[] };
  for (const t of tables) {
    if (!t.vacuum && !t.analyze) continue;
    const started = performance.now();
    if (t.vacuum) await db.execute(sql`vacuum (analyze) ${sql.identifier(t.name)}`);
    else await db.execute(sql`analyze ${sql.identifier(t.name)}`);
    (t.vacuum ? done.vacuumed : done.analyzed).push(t.name);
    log().info(
      { table: t.name, ms: Math.round(performance.now() - started) },
      t.vacuum ? "vacuumed" : "analyzed",
    );
  }
  return done;
}
