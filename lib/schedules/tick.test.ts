import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { triggerEvents, triggers } from "@/db/schema";
import { newId } from "@/lib/core/ids";
import { seedTrigger } from "@/test/seed";
import { runScheduleTick } from "./tick";

/** A new owner with `count` every-minute schedules, all next due at `nextTriggerAt`. */
async function ownerWithSchedules(count: number, nextTriggerAt: Date) {
  const first = await seedTrigger("echo", { schedule: "* * * * *", nextTriggerAt });
  const db = await getDb();
  await db.insert(triggers).values(
    Array.from({ length: count - 1 }, (_, i) => ({
      id: newId("trigger"),
      ownerId: first.ownerId,
      botId: first.botId,
      name: `every minute ${i}`,
      secretEnc: "unused",
      schedule: "* * * * *",
      nextTriggerAt,
    })),
  );
  return first;
}

describe("the schedule tick", () => {
  it("one owner's hundreds of due schedules do not leave another owner's for later ticks; paused ones wait", async () => {
    const db = await getDb();
    const at = new Date(Date.now() + 3_600_000); // every schedule below is due by then
    const earlier = new Date(at.getTime() - 120_000);
    const many = await ownerWithSchedules(450, earlier);
    const other = await seedTrigger("echo", {
      schedule: "* * * * *",
      nextTriggerAt: new Date(at.getTime() - 60_000),
    });
    const paused = await seedTrigger("echo", {
      schedule: "* * * * *",
      nextTriggerAt: earlier,
      pausedAt: new Date(),
    });

    // a budget no busy machine reaches: the rounds are what is under test here
    const tick = await runScheduleTick(at, 200, 120_000);
    expect(tick.queued).toBe(451);
    expect(tick.rounds).toBe(3);
    const runs = (triggerId: string) =>
      db
        .select()
        .from(triggerEvents)
        .where(and(eq(triggerEvents.triggerId, triggerId), eq(triggerEvents.kind, "schedule")));
    expect(await runs(other.id)).toHaveLength(1);
    expect(await runs(paused.id)).toHaveLength(0);
    const [left] = await db
      .select({ next: triggers.nextTriggerAt })
      .from(triggers)
      .where(eq(triggers.id, other.id));
    expect(left.next!.getTime()).toBeGreaterThan(at.getTime());
    // nothing of the first owner's is left due either
    const due = await db.select().from(triggers).where(eq(triggers.ownerId, many.ownerId));
    expect(due.filter((t) => t.nextTriggerAt! <= at)).toHaveLength(0);
  });

  it("within one round owners take turns: another owner's due schedule is not behind one owner's hundreds of older ones", async () => {
    const db = await getDb();
    const at = new Date(Date.now() + 3 * 3_600_000);
    const older = new Date(at.getTime() - 30 * 60_000);
    const many = await ownerWithSchedules(300, older);
    const other = await seedTrigger("echo", {
      schedule: "* * * * *",
      nextTriggerAt: new Date(at.getTime() - 60_000),
    });

    // one round only (no budget for a second): the other owner's schedule is in it
    const tick = await runScheduleTick(at, 200, 0);
    expect(tick.rounds).toBe(1);
    expect(tick.queued).toBe(200);
    const runs = await db
      .select()
      .from(triggerEvents)
      .where(and(eq(triggerEvents.triggerId, other.id), eq(triggerEvents.kind, "schedule")));
    expect(runs).toHaveLength(1);
    // and the rest of the first owner's go in the next rounds
    await runScheduleTick(at, 200, 120_000);
    const mine = await db.select().from(triggers).where(eq(triggers.ownerId, many.ownerId));
    expect(mine.filter((t) => t.nextTriggerAt! <= at)).toHaveLength(0);
  });
});
