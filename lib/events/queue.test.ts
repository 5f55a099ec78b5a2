import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { triggerEvents } from "@/db/schema";
import { seedTrigger } from "@/test/seed";
import { queueEvent } from "./queue";

describe("an event with an idempotency key", () => {
  it("is stored once within the window, however many repeats arrive at once; after the window the key is free again", async () => {
    const db = await getDb();
    const trigger = await seedTrigger();
    const send = (n: number) =>
      queueEvent({ trigger, kind: "event", payload: { n }, idempotencyKey: "delivery-1" });

    const first = await send(1);
    expect(first).toMatchObject({ duplicate: false, status: "queued" });
    // repeats, one of them in the same insert as another
    const repeats = await Promise.all([send(2), send(3), send(4)]);
    expect(repeats.map((r) => [r.id, r.duplicate])).toEqual([
      [first.id, true],
      [first.id, true],
      [first.id, true],
    ]);

    // a day later the same key is a new event, and the old one no longer holds it
    await db
      .update(triggerEvents)
      .set({ createdAt: sql`now() - interval '25 hours'` })
      .where(eq(triggerEvents.id, first.id));
    const later = await send(5);
    expect(later.duplicate).toBe(false);
    expect(later.id).not.toBe(first.id);
    const rows = await db
      .select({ id: triggerEvents.id, key: triggerEvents.idempotencyKey })
      .from(triggerEvents)
      .where(eq(triggerEvents.triggerId, trigger.id));
    expect(new Map(rows.map((r) => [r.id, r.key]))).toEqual(
      new Map([
        [first.id, null],
        [later.id, "delivery-1"],
      ]),
    );
    expect((await send(6)).id).toBe(later.id);
  });

  it("takes its id as it joins the insert queue, so a session's events are stored in arrival order", async () => {
    const db = await getDb();
    const trigger = await seedTrigger();
    const stored = await Promise.all(
      Array.from({ length: 8 }, (_, n) =>
        queueEvent({
          trigger,
          kind: "event",
          payload: { n },
          sessionKey: "s",
          idempotencyKey: n % 2 ? `k-${n}` : null,
        }),
      ),
    );
    const rows = await db
      .select({ id: triggerEvents.id, payload: triggerEvents.payload })
      .from(triggerEvents)
      .where(eq(triggerEvents.triggerId, trigger.id))
      .orderBy(triggerEvents.id);
    expect(rows.map((r) => (r.payload as { n: number }).n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(stored.every((s) => !s.duplicate)).toBe(true);
  });
});
