import { eq } from "drizzle-orm";
import { expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { triggerEvents } from "@/db/schema";
import { newId } from "@/lib/core/ids";
import { seedTrigger } from "@/test/seed";

// Recording a poison event's failure breaks (the database refuses a write): the events the same
// claim took must still run.
vi.mock("./failure", async (original) => ({
  ...(await original<typeof import("./failure")>()),
  notePoisoned: vi.fn(async () => {
    throw new Error("the note could not be written");
  }),
}));
const { InlineRunner } = await import("./runner");

it("a claim whose poison events cannot be noted still runs the events it took", async () => {
  const db = await getDb();
  const trigger = await seedTrigger();
  const row = (over: Partial<typeof triggerEvents.$inferInsert>) => ({
    id: newId("event"),
    ownerId: trigger.ownerId,
    triggerId: trigger.id,
    kind: "event" as const,
    status: "queued" as const,
    payload: { text: "hi" },
    ...over,
  });
  const poison = row({ status: "processing", attempts: 3, lockedUntil: new Date(Date.now() - 1) });
  const fresh = row({});
  await db.insert(triggerEvents).values([poison, fresh]);
  const runner = new InlineRunner(1, 1);
  runner.start();
  runner.wake();
  try {
    const status = async (id: string) =>
      (await db.select().from(triggerEvents).where(eq(triggerEvents.id, id)))[0].status;
    await expect.poll(() => status(fresh.id), { timeout: 5000 }).toBe("completed");
    expect(await status(poison.id)).toBe("failed");
  } finally {
    await runner.drain(0);
  }
});
