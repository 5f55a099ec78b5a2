import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, rowsOf } from "@/db/client";
import { seedEvent, seedTrigger } from "@/test/seed";
import { vacuumUnattended } from "./vacuum";

/** The database's counters of changed rows reach pg_stat_user_tables a second after the change. */
async function countersFlushed() {
  await new Promise((r) => setTimeout(r, 1_200));
  const db = await getDb();
  await db.execute(sql`select 1`);
}

describe("vacuum where nothing else does", () => {
  it("vacuums and analyzes the tables that changed, where autovacuum does not run, and leaves autovacuum's databases to it", async () => {
    const db = await getDb();
    const [setting] = rowsOf<{ autovacuum: string }>(
      await db.execute(sql`select current_setting('autovacuum') as autovacuum`),
    );
    const unattended = db.$dialect === "pglite" || setting.autovacuum !== "on";
    await countersFlushed();
    // what changed while the test database was made is taken care of first
    await vacuumUnattended();

    const trigger = await seedTrigger();
    for (let i = 0; i < 120; i++) await seedEvent(trigger, {});
    // each event's status changes leave dead row versions
    await db.execute(sql`update trigger_events set status = 'processing'`);
    await db.execute(sql`update trigger_events set status = 'completed'`);
    await countersFlushed();
    const done = await vacuumUnattended();
    const [stats] = rowsOf<{ vacuumed: boolean; analyzed: boolean; dead: number }>(
      await db.execute(sql`
        select last_vacuum is not null as vacuumed, last_analyze is not null as analyzed,
          n_dead_tup::int as dead
        from pg_stat_user_tables where relname = 'trigger_events'`),
    );
    if (!unattended) {
      expect(done).toBeNull();
      return expect(stats.vacuumed).toBe(false);
    }
    expect(done?.vacuumed).toContain("trigger_events");
    expect(stats).toMatchObject({ vacuumed: true, analyzed: true, dead: 0 });
    // tables nothing changed in are left alone
    expect(done?.vacuumed).not.toContain("blueprints");
    expect(done?.analyzed).not.toContain("blueprints");
    // and once done, nothing is left to do until rows change again
    await countersFlushed();
    expect((await vacuumUnattended())?.vacuumed).not.toContain("trigger_events");
  });
});
