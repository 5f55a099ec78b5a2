import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, rowsOf } from "@/db/client";
import { seedEvent, seedTrigger } from "@/test/seed";
import { vacuumUnattended } from "./vacuum";

describe("vacuum where nothing else does", () => {
  it("vacuums and analyzes the embedded database, or a PostgreSQL without autovacuum, and leaves one with autovacuum to it", async () => {
    const db = await getDb();
    const trigger = await seedTrigger();
    for (let i = 0; i < 50; i++) await seedEvent(trigger, {});
    // each event's status changes leave dead row versions
    await db.execute(sql`update trigger_events set status = 'processing'`);
    await db.execute(sql`update trigger_events set status = 'completed'`);
    const [setting] = rowsOf<{ autovacuum: string }>(
      await db.execute(sql`select current_setting('autovacuum') as autovacuum`),
    );
    const unattended = db.$dialect === "pglite" || setting.autovacuum !== "on";
    const vacuumed = await vacuumUnattended();
    expect(vacuumed).toBe(unattended);
    const [stats] = rowsOf<{ vacuumed: boolean; analyzed: boolean; live: number }>(
      await db.execute(sql`
        select last_vacuum is not null as vacuumed, last_analyze is not null as analyzed,
          n_live_tup::int as live
        from pg_stat_user_tables where relname = 'trigger_events'`),
    );
    if (unattended) expect(stats).toMatchObject({ vacuumed: true, analyzed: true, live: 50 });
    else expect(stats).toMatchObject({ vacuumed: false });
  });
});
