import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { getDb } from "@/db/client";
import { messages, triggerEvents } from "@/db/schema";
import { seedEvent, seedTrigger } from "@/test/seed";
import { recordFailure } from "./failure";

// An attempt's failure is written only while that attempt still holds its event.
const eventRow = async (id: string) => {
  const db = await getDb();
  const [row] = await db.select().from(triggerEvents).where(eq(triggerEvents.id, id));
  return row;
};

it("a failure of an attempt that no longer holds its event writes nothing and says gone", async () => {
  const trigger = await seedTrigger();
  const db = await getDb();
  const failing = async (status: "processing" | "cancelled", attempts: number) => {
    const id = await seedEvent(trigger, { status: "processing", attempts: 1 });
    const attempt = await eventRow(id); // what the failing run holds: attempt 1
    await db.update(triggerEvents).set({ status, attempts }).where(eq(triggerEvents.id, id));
    return { id, attempt };
  };

  // cancelled while its last attempt ran: it stays cancelled, no failure note, no failed count
  const cancelled = await failing("cancelled", 1);
  expect(await recordFailure(cancelled.attempt, new Error("boom"), { final: true })).toBe("gone");
  expect(await eventRow(cancelled.id)).toMatchObject({ status: "cancelled", error: null });
  const notes = await db.select().from(messages).where(eq(messages.eventId, cancelled.id));
  expect(notes).toEqual([]);

  // taken over by a later claim (attempt 2 runs): neither a retry nor a failure of attempt 1
  const taken = await failing("processing", 2);
  expect(await recordFailure(taken.attempt, new Error("boom"))).toBe("gone");
  expect(await recordFailure(taken.attempt, new Error("boom"), { final: true })).toBe("gone");
  expect(await eventRow(taken.id)).toMatchObject({
    status: "processing",
    attempts: 2,
    error: null,
  });

  // while it holds the event, the same calls retry and then fail it
  const held = await seedEvent(trigger, { status: "processing", attempts: 1 });
  expect(await recordFailure(await eventRow(held), new Error("first"))).toBe("retry");
  expect(await eventRow(held)).toMatchObject({ status: "queued", error: "first" });
  expect(await recordFailure(await eventRow(held), new Error("last"), { final: true })).toBe(
    "failed",
  );
  expect(await eventRow(held)).toMatchObject({ status: "failed", error: "last" });
});
