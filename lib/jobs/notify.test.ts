import { describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { queueEvent } from "@/lib/events/queue";
import { seedTrigger } from "@/test/seed";
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
});
