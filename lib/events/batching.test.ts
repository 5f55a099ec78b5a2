import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { triggerEvents, type BatchPolicy } from "@/db/schema";
import { seedTrigger } from "@/test/seed";
import { insertEventBatched } from "./batch-insert";
import { extendBatch } from "./batching";
import { plainEventRow } from "./queue";

const policy = { window: 60_000, maxWait: 120_000, maxEvents: 1000 } as BatchPolicy;

describe("a batch's due time", () => {
  it("is moved by many arrivals of one key at once without a deadlock, for every queued event of the key", async () => {
    const db = await getDb();
    const trigger = await seedTrigger();
    const hold = { key: "k:burst", policy };
    const rows = Array.from({ length: 40 }, (_, i) =>
      plainEventRow({ trigger, kind: "event", payload: { i }, hold }),
    );
    // stored with a short first window, as they would be when their arrival's move failed
    await Promise.all(rows.map((r) => insertEventBatched({ ...r, holdMs: 1000 })));
    // every arrival moves the same forty rows, at once, on as many connections as the pool has;
    // again and again, so that each connection's prepared statement also runs on its generic plan
    const moves = [];
    for (let round = 0; round < 10; round++)
      moves.push(
        ...(await Promise.allSettled(
          Array.from({ length: 24 }, () => extendBatch(db, trigger.id, hold.key, policy)),
        )),
      );
    expect(moves.filter((m) => m.status === "rejected")).toEqual([]);
    const held = await db
      .select({ lockedUntil: triggerEvents.lockedUntil })
      .from(triggerEvents)
      .where(and(eq(triggerEvents.triggerId, trigger.id), eq(triggerEvents.batchKey, hold.key)));
    expect(held).toHaveLength(40);
    // each now waits the full window (about a minute), not the second it was stored with
    for (const { lockedUntil } of held)
      expect(lockedUntil!.getTime() - Date.now()).toBeGreaterThan(50_000);
  });

  it("is due at once with maxEvents waiting, and never later than maxWait after the oldest", async () => {
    const db = await getDb();
    const trigger = await seedTrigger();
    const dueOf = async (key: string) =>
      (
        await db
          .select({ lockedUntil: triggerEvents.lockedUntil })
          .from(triggerEvents)
          .where(and(eq(triggerEvents.triggerId, trigger.id), eq(triggerEvents.batchKey, key)))
      ).map((r) => r.lockedUntil!.getTime() - Date.now());
    const store = (key: string, n: number) =>
      Promise.all(
        Array.from({ length: n }, (_, i) =>
          insertEventBatched({
            ...plainEventRow({ trigger, kind: "event", payload: { i }, hold: { key, policy } }),
            holdMs: 30_000,
          }),
        ),
      );

    const full = { window: 60_000, maxWait: 120_000, maxEvents: 3 } as BatchPolicy;
    await store("k:full", 3);
    await extendBatch(db, trigger.id, "k:full", full);
    for (const wait of await dueOf("k:full")) expect(wait).toBeLessThan(1000);

    const capped = { window: 60_000, maxWait: 5_000, maxEvents: 100 } as BatchPolicy;
    await store("k:capped", 2);
    await extendBatch(db, trigger.id, "k:capped", capped);
    for (const wait of await dueOf("k:capped")) {
      expect(wait).toBeGreaterThan(2_000);
      expect(wait).toBeLessThanOrEqual(5_000);
    }
  });
});
