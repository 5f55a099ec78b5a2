import "server-only";
import { sql } from "drizzle-orm";
import { getDb, rowsOf } from "@/db/client";

/** Queued events, the age of the oldest and the waiting ones, for the metrics scrape (partial indexes answer it). */
export async function queueState() {
  const db = await getDb();
  const [row] = rowsOf<{ depth: number; oldest: Date | string | null; waiting: number }>(
    await db.execute(sql`
      select count(*)::int as depth, min(created_at) as oldest,
        (select count(*)::int from trigger_events where status = 'waiting') as waiting
      from trigger_events where status = 'queued'`),
  );
  const oldest = row?.oldest ? new Date(row.oldest).getTime() : null;
  return {
    depth: Number(row?.depth ?? 0),
    waiting: Number(row?.waiting ?? 0),
    oldestAgeSeconds: oldest === null ? 0 : Math.max(0, (Date.now() - oldest) / 1000),
  };
}
