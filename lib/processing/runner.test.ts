import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { triggerEvents } from "@/db/schema";
import { newId } from "@/lib/core/ids";
import { seedTrigger } from "@/test/seed";
import { setEnv } from "@/test/env";
import { claimBatch } from "./claim";
import type { RunControl } from "./run-control";

// The runs themselves are replaced: one that never ends (a statement whose answer never comes),
// the others ending at once. Claims, leases and hand-backs are the real ones.
const hang = new Set<string>();
const started: { id: string; control: RunControl }[] = [];
vi.mock("./process", async (original) => ({
  ...(await original<typeof import("./process")>()),
  attemptEvent: vi.fn(async (event: { id: string }, control: RunControl) => {
    started.push({ id: event.id, control });
    control.start(); // the heartbeat renews the claim, as a real run's does
    if (hang.has(event.id)) return new Promise(() => {});
    control.finish();
    await (
      await getDb()
    )
      .update(triggerEvents)
      .set({ status: "completed" })
      .where(eq(triggerEvents.id, event.id));
    return "completed";
  }),
}));
const { InlineRunner } = await import("./runner");

async function queued(triggerId: string, ownerId: string) {
  const id = newId("event");
  await (await getDb()).insert(triggerEvents).values({
    id,
    ownerId,
    triggerId,
    kind: "event",
    status: "queued",
    payload: { n: id },
  });
  return id;
}

const row = async (id: string) =>
  (await (await getDb()).select().from(triggerEvents).where(eq(triggerEvents.id, id)))[0];

describe("the runner's watchdog", () => {
  beforeAll(() => setEnv({ EVENT_LEASE_MS: "1000" }));
  afterAll(() => setEnv({ EVENT_LEASE_MS: undefined }));
  beforeEach(async () => {
    await (await getDb()).delete(triggerEvents);
    hang.clear();
    started.length = 0;
  });

  it("gives up a run that outlives its trigger's maxTime and two leases: the worker takes the next event, the stalled one is taken again after its lease", async () => {
    const trigger = await seedTrigger("echo", { maxTime: 1000 });
    const stuck = await queued(trigger.id, trigger.ownerId);
    const next = await queued(trigger.id, trigger.ownerId);
    hang.add(stuck);
    const runner = new InlineRunner(1, 1);
    runner.start();
    runner.wake();
    try {
      await expect.poll(() => started.map((s) => s.id), { timeout: 5000 }).toEqual([stuck]);
      // held while it runs: the heartbeat renews it past its 1 s lease
      await new Promise((r) => setTimeout(r, 1500));
      expect(started).toHaveLength(1);
      expect(await row(stuck)).toMatchObject({ status: "processing", attempts: 1 });
      // 1 s maxTime + 2 x 1 s leases: given up, its signal aborted, and the one worker runs the next
      await expect.poll(() => started.map((s) => s.id), { timeout: 6000 }).toContain(next);
      expect(started[0].control.stopped).toBe("stalled");
      expect(started[0].control.signal.aborted).toBe(true);
      await expect.poll(async () => (await row(next)).status, { timeout: 5000 }).toBe("completed");
      // no longer renewed: its lease runs out and a claim takes it again, charged
      await expect
        .poll(() => started.filter((s) => s.id === stuck).length, { timeout: 6000 })
        .toBe(2);
      expect(await row(stuck)).toMatchObject({ status: "processing", attempts: 2 });
    } finally {
      hang.clear();
      await runner.drain(0);
    }
  });

  it("gives a stopped run one lease to end, then frees its worker; the event is left to its lease, never handed back", async () => {
    const trigger = await seedTrigger("echo", { maxTime: 300_000 });
    const stuck = await queued(trigger.id, trigger.ownerId);
    hang.add(stuck);
    const runner = new InlineRunner(1, 1);
    runner.start();
    runner.wake();
    await expect.poll(() => started.map((s) => s.id), { timeout: 5000 }).toEqual([stuck]);
    const began = performance.now();
    // no grace: the run is stopped at once; it never ends, and the drain does not wait for ever
    await runner.drain(0);
    const waited = performance.now() - began;
    expect(waited).toBeGreaterThan(1000);
    expect(waited).toBeLessThan(5000);
    expect(started[0].control.stopped).toBe("shutdown");
    expect(started[0].control.abandoned).toBe(true);
    // not handed back (the next claim would get the attempt number the run still holds): still
    // processing under attempt 1, and no longer renewed, so the next claim takes it as attempt 2
    expect(await row(stuck)).toMatchObject({ status: "processing", attempts: 1 });
    await new Promise((r) => setTimeout(r, 1200));
    const { claimed } = await claimBatch(10);
    expect(claimed.map((e) => [e.id, e.attempts])).toEqual([[stuck, 2]]);
  });

  it("keeps renewing the claims waiting in its buffer while every worker is busy: another server cannot take them", async () => {
    const a = await seedTrigger("echo", { maxTime: 300_000 });
    const b = await seedTrigger("echo", { maxTime: 300_000 });
    const a1 = await queued(a.id, a.ownerId);
    const a2 = await queued(a.id, a.ownerId);
    const b1 = await queued(b.id, b.ownerId);
    hang.add(a1);
    hang.add(b1);
    // two workers, one each for owners a and b; a's second event waits in the buffer
    const runner = new InlineRunner(2, 1);
    runner.start();
    runner.wake();
    try {
      await expect
        .poll(() => started.map((s) => s.id).sort(), { timeout: 5000 })
        .toEqual([a1, b1].sort());
      expect(await row(a2)).toMatchObject({ status: "processing", attempts: 1 });
      // three leases later, a claim (as another server's) finds nothing of it to take
      await new Promise((r) => setTimeout(r, 3000));
      const { claimed } = await claimBatch(10);
      expect(claimed.map((e) => e.id)).not.toContain(a2);
      expect(await row(a2)).toMatchObject({ status: "processing", attempts: 1 });
    } finally {
      hang.clear();
      await runner.drain(0);
    }
  });
});
