import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { triggerEvents } from "@/db/schema";
import { newId } from "@/lib/core/ids";
import { seedTrigger } from "@/test/seed";
import { claimBatch, renewLease } from "./claim";

async function queuedEvent() {
  const db = await getDb();
  const trigger = await seedTrigger();
  const id = newId("event");
  await db.insert(triggerEvents).values({
    id,
    ownerId: trigger.ownerId,
    triggerId: trigger.id,
    kind: "event",
    status: "queued",
    payload: { text: "hi" },
  });
  return id;
}

const claimOne = async (id: string) => (await claimBatch(100)).claimed.find((e) => e.id === id);

describe("claims and leases", () => {
  it("a holder renews its claim until another claim takes the event over after the lease ended", async () => {
    const db = await getDb();
    const id = await queuedEvent();
    const first = await claimOne(id);
    expect(first).toMatchObject({ status: "processing", attempts: 1 });
    // while the lease runs, nobody else can claim it, and the holder can renew it
    expect(await claimOne(id)).toBeUndefined();
    expect(await renewLease(first!)).toBe("held");

    // the holder stalls past its lease (e.g. the event waited in a busy runner's buffer)
    await db
      .update(triggerEvents)
      .set({ lockedUntil: new Date(Date.now() - 1000) })
      .where(eq(triggerEvents.id, id));
    const second = await claimOne(id);
    expect(second).toMatchObject({ status: "processing", attempts: 2 });
    // the stale holder learns it lost the claim; the new holder keeps it
    expect(await renewLease(first!)).toBe("lost");
    expect(await renewLease(second!)).toBe("held");

    // a finished event cannot be renewed
    await db.update(triggerEvents).set({ status: "completed" }).where(eq(triggerEvents.id, id));
    expect(await renewLease(second!)).toBe("lost");
  });

  it("a long backlog of one session does not keep the owner's other sessions waiting", async () => {
    const db = await getDb();
    const trigger = await seedTrigger();
    const row = (session: string, status: "queued" | "processing" = "queued") => ({
      id: newId("event"),
      ownerId: trigger.ownerId,
      triggerId: trigger.id,
      kind: "event" as const,
      status,
      sessionKey: session,
      payload: { text: session },
      ...(status === "processing" && {
        attempts: 1,
        lockedUntil: new Date(Date.now() + 60_000),
      }),
    });
    // session A: its head runs under a live claim, 150 more wait behind it (one at a time)
    const busy = [row("A", "processing"), ...Array.from({ length: 150 }, () => row("A"))];
    await db.insert(triggerEvents).values(busy);
    const other = row("B");
    await db.insert(triggerEvents).values(other);
    const { claimed } = await claimBatch(10);
    const ours = claimed.filter((e) => e.ownerId === trigger.ownerId);
    expect(ours.map((e) => e.id)).toEqual([other.id]);
  });
});
