import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { seedEvent, seedTrigger } from "@/test/seed";
import { staleQueued } from "./sweep";

const ago = (ms: number) => new Date(Date.now() - ms);

describe("the Inngest sweep's stale events", () => {
  it("are those never sent or sent long ago, never sent first; a paused trigger's wait for its resume", async () => {
    const db = await getDb();
    const running = await seedTrigger();
    const paused = await seedTrigger("echo", { pausedAt: new Date() });
    // stored in this order, so that the order found is by sending, not by id
    const sentLongAgo = await seedEvent(running, {
      createdAt: ago(20 * 60_000),
      dispatchedAt: ago(10 * 60_000),
    });
    const sentLonger = await seedEvent(running, {
      createdAt: ago(20 * 60_000),
      dispatchedAt: ago(15 * 60_000),
    });
    const neverSent = await seedEvent(running, { createdAt: ago(60_000) });
    const sentLately = await seedEvent(running, {
      createdAt: ago(20 * 60_000),
      dispatchedAt: ago(60_000),
    });
    const justStored = await seedEvent(running);
    const held = await seedEvent(paused, { createdAt: ago(60_000) });
    const found = (await staleQueued(db, 5 * 60_000, 1000)).map((r) => r.id);
    const ours = found.filter((id) =>
      [sentLongAgo, sentLonger, neverSent, sentLately, justStored, held].includes(id),
    );
    expect(ours).toEqual([neverSent, sentLonger, sentLongAgo]);
  });
});
