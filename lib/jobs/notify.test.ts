import { sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { createDb } from "@/db/connect";
import { queueEvent } from "@/lib/events/queue";
import { seedTrigger } from "@/test/seed";
import { startTcpProxy } from "@/test/tcp-proxy";
import { RUNNER_CHANNEL } from "./dispatch";

// No runner in this process (as on a server with INLINE_RUNNER=false): stored events are announced
// to the runners of the other servers on the same PostgreSQL.
describe.skipIf(!process.env.DATABASE_URL)("waking other servers' runners", () => {
  it("a burst of stored events wakes the listening runners at once, with one or two NOTIFYs, not one per event", async () => {
    const db = await getDb();
    let woken = 0;
    await db.$listen(RUNNER_CHANNEL, () => woken++);
    const trigger = await seedTrigger();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => queueEvent({ trigger, kind: "event", payload: { i } })),
    );
    await vi.waitFor(() => expect(woken).toBeGreaterThan(0), { timeout: 3_000 });
    await new Promise((r) => setTimeout(r, 300));
    expect(woken).toBeLessThanOrEqual(2);
    // a later event, after the throttle's interval, is announced again
    const before = woken;
    await queueEvent({ trigger, kind: "event", payload: { later: true } });
    await vi.waitFor(() => expect(woken).toBe(before + 1), { timeout: 3_000 });
  });

  it("a listener whose connection was lost hears again once the database answers (postgres.js listens again)", async () => {
    const db = await getDb();
    // this test file's own database (test/setup.ts): a NOTIFY reaches listeners of the same one
    const target = new URL(process.env.TEST_DATABASE_URL!);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const through = new URL(target);
    through.host = `127.0.0.1:${proxy.port}`;
    const listening = await createDb({ databaseUrl: through.toString() });
    const channel = "notify_test_relisten";
    let heard = 0;
    try {
      await listening.$listen(channel, () => heard++);
      await db.execute(sql`select pg_notify(${channel}, '')`);
      await vi.waitFor(() => expect(heard).toBe(1), { timeout: 3_000 });
      // every connection dropped and new ones refused for longer than connect_timeout (3 s), so
      // the first tries to listen again fail
      await proxy.cut();
      await new Promise((r) => setTimeout(r, 4_500));
      await proxy.restore();
      await vi.waitFor(
        async () => {
          await db.execute(sql`select pg_notify(${channel}, '')`);
          expect(heard).toBeGreaterThan(1);
        },
        { timeout: 20_000, interval: 500 },
      );
    } finally {
      await listening.$close().catch(() => {});
      await proxy.close();
    }
  }, 40_000);
});
