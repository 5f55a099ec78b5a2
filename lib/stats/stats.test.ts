import { eq, sql } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { getDb, rowsOf } from "@/db/client";
import { eventStatsHourly, eventStatsMinutely, triggerEvents } from "@/db/schema";
import { idBefore, newId } from "@/lib/core/ids";
import { claimBatch } from "@/lib/processing/claim";
import { attemptEvent } from "@/lib/processing/process";
import { cancelEvent } from "@/lib/events/service";
import { resumeTrigger } from "@/lib/triggers/pause";
import { seedEvent, seedTrigger } from "@/test/seed";
import { quantile } from "./latency";
import { rollUpStats } from "./rollup";
import { seedHistory } from "./seed-history";
import { accountOverview, eventStats, triggerUsage } from "./service";
import { monthStart, tokensUsedThisMonth } from "./usage";

const HOUR = 3_600_000;
const hourStart = (offset: number) => Math.floor(Date.now() / HOUR) * HOUR + offset * HOUR;
/** An event id from `at` (ids sort by time, and the rollup reads ranges of them). */
const idAt = (at: Date) => idBefore("event", at).slice(0, -16) + newId("event").slice(-16);

type Seeded = { id: string; ownerId: string };
async function seedAt(trigger: Seeded, at: number, extra: Parameters<typeof seedEvent>[1] = {}) {
  const createdAt = new Date(at);
  const id = idAt(createdAt);
  await seedEvent(trigger, { id, createdAt, ...extra });
  return id;
}
const finished = (at: number, status: "completed" | "failed", latencyMs: number, tokens = 0) => ({
  status,
  completedAt: new Date(at + latencyMs),
  ...(tokens && { inputTokens: tokens, outputTokens: tokens / 2 }),
});

afterAll(async () => {
  const db = await getDb();
  await db.execute(sql`delete from rollup_watermarks`);
  await db.execute(sql`delete from event_stats_hourly`);
  await db.execute(sql`delete from event_stats_minutely`);
});

describe("charts", () => {
  it("count by hour and status with latency quantiles and tokens, the same read live and from the rollup", async () => {
    const trigger = await seedTrigger();
    const three = hourStart(-3) + 600_000;
    for (const ms of [200, 200, 800, 3_000])
      await seedAt(trigger, three, finished(three, "completed", ms, 10));
    await seedAt(trigger, three, finished(three, "failed", 50));
    await seedAt(trigger, hourStart(-1) + 60_000, { status: "filtered" });
    await seedAt(trigger, hourStart(-1) + 60_000, { status: "filtered" });
    await seedAt(trigger, Date.now(), { lockedUntil: new Date(Date.now() + HOUR) });

    const live = await eventStats({ ownerId: trigger.ownerId, triggerId: trigger.id });
    const h = live.hours[20]; // three hours before the current one
    expect(h).toMatchObject({ total: 5, failed: 1, inputTokens: 40, outputTokens: 20 });
    expect(h.byStatus).toMatchObject({ completed: 4, failed: 1, queued: 0 });
    // 50, 200, 200, 800, 3000 ms: the median lies in the 100-250 bucket, p95 in 2.5-5 s
    expect(h.p50).toBeGreaterThan(100);
    expect(h.p50).toBeLessThanOrEqual(250);
    expect(h.p95).toBeGreaterThan(2_500);
    expect(h.p95).toBeLessThanOrEqual(5_000);
    expect(live.hours[22]).toMatchObject({ total: 2, filtered: 2, p50: null });
    expect(live.hours[23].byStatus.queued).toBe(1);
    const today = live.days[29];
    expect(today.day).toBe(new Date().toISOString().slice(0, 10));
    const sumDays = live.days.reduce((a, d) => a + d.total, 0);
    expect(sumDays).toBe(8);

    const at = new Date();
    expect((await rollUpStats(at))?.hours).toBeGreaterThan(0);
    const db = await getDb();
    const rolled = await db
      .select()
      .from(eventStatsHourly)
      .where(eq(eventStatsHourly.triggerId, trigger.id));
    expect(rolled.map((r) => [r.status, r.events]).sort()).toEqual([
      ["completed", 4],
      ["failed", 1],
      ["filtered", 2],
    ]);
    // a second rollup in the same minute does nothing, and reads give the same answer
    expect(await rollUpStats(at)).toBeNull();
    expect(await eventStats({ ownerId: trigger.ownerId, triggerId: trigger.id })).toEqual(live);

    const overview = await accountOverview({ ownerId: trigger.ownerId });
    expect(overview.totals).toMatchObject({
      triggers: 1,
      events24h: 8,
      failed24h: 1,
      tokens30d: 60,
    });
    expect(overview.triggers[0]).toMatchObject({ id: trigger.id, failed24h: 1 });
    expect(overview.latestFailures).toHaveLength(1);

    const usage = await triggerUsage({
      ownerId: trigger.ownerId,
      triggerId: trigger.id,
      query: { from: new Date(hourStart(-24)) },
    });
    expect(usage).toMatchObject({ inputTokens: 40, outputTokens: 20, totalTokens: 60, events: 8 });
  });

  it("an event still pending at one rollup is counted under its final status by the next", async () => {
    const trigger = await seedTrigger();
    // arrived in the last closed hour, which the next rollup rolls again anyway
    const at = hourStart(-1) + 120_000;
    const id = await seedAt(trigger, at, { lockedUntil: new Date(Date.now() + HOUR) });
    await rollUpStats(new Date(hourStart(2)));
    const db = await getDb();
    const before = await db
      .select()
      .from(eventStatsHourly)
      .where(eq(eventStatsHourly.triggerId, trigger.id));
    expect(before.map((r) => r.status)).toEqual(["queued"]);

    await db
      .update(triggerEvents)
      .set(finished(at, "completed", 1_000))
      .where(eq(triggerEvents.id, id));
    // far enough on that the last closed hours no longer cover it: only the pending mark does
    await rollUpStats(new Date(hourStart(5)));
    const stats = await eventStats({ ownerId: trigger.ownerId, triggerId: trigger.id });
    expect(stats.hours[22].byStatus).toMatchObject({ completed: 1, queued: 0 });
    const after = await db
      .select()
      .from(eventStatsHourly)
      .where(eq(eventStatsHourly.triggerId, trigger.id));
    expect(after.map((r) => r.status)).toEqual(["completed"]);
  });
});

describe("the open hour's minutes", () => {
  const MINUTE = 60_000;
  const base = hourStart(0);
  const statsOf = (t: Seeded) => eventStats({ ownerId: t.ownerId, triggerId: t.id });
  const minuteRows = async (t: Seeded) =>
    (
      await (
        await getDb()
      )
        .select()
        .from(eventStatsMinutely)
        .where(eq(eventStatsMinutely.triggerId, t.id))
    )
      .map((r) => [(r.minute.getTime() - base) / MINUTE, r.status, r.events])
      .sort();

  // the rollups are the whole database's: the events of the tests before (one still unfinished,
  // in the minute those ran) would move what these expect to be rolled
  beforeEach(async () => {
    const db = await getDb();
    await db.execute(sql`delete from trigger_events`);
    await db.execute(sql`delete from rollup_watermarks`);
    await db.execute(sql`delete from event_stats_hourly`);
    await db.execute(sql`delete from event_stats_minutely`);
  });

  it("are rolled each minute, read the same as live, and handed to the hour's rollup", async () => {
    const trigger = await seedTrigger();
    for (let i = 0; i < 3; i++)
      await seedAt(trigger, base + 5 * MINUTE, finished(base + 5 * MINUTE, "completed", 100, 10));
    await seedAt(trigger, base + 7 * MINUTE, finished(base + 7 * MINUTE, "failed", 2_000));
    const unfinished = await seedAt(trigger, base + 8 * MINUTE, {
      lockedUntil: new Date(Date.now() + HOUR),
    });
    await seedAt(trigger, base + 25 * MINUTE, finished(base + 25 * MINUTE, "completed", 300));
    const live = await statsOf(trigger);
    expect(live.hours[23]).toMatchObject({ total: 6, inputTokens: 30 });
    expect(live.hours[23].byStatus).toMatchObject({ completed: 4, failed: 1, queued: 1 });

    expect(await rollUpStats(new Date(base + 20 * MINUTE + 5_000))).toMatchObject({ minutes: 20 });
    expect(await minuteRows(trigger)).toEqual([
      [5, "completed", 3],
      [7, "failed", 1],
      [8, "queued", 1],
    ]);
    // rolled minutes, then the events after the watermark read live: the same charts
    expect(await statsOf(trigger)).toEqual(live);

    // the unfinished event's minute is rolled again until it finishes
    const db = await getDb();
    await db
      .update(triggerEvents)
      .set(finished(base + 8 * MINUTE, "completed", 500))
      .where(eq(triggerEvents.id, unfinished));
    expect(await rollUpStats(new Date(base + 21 * MINUTE + 5_000))).toMatchObject({
      minutes: 13,
    });
    expect(await minuteRows(trigger)).toEqual([
      [5, "completed", 3],
      [7, "failed", 1],
      [8, "completed", 1],
    ]);
    const finishedLive = await statsOf(trigger);
    expect(finishedLive.hours[23].byStatus).toMatchObject({ completed: 5, failed: 1, queued: 0 });

    // the hour closes: its rollup holds all of it, and its minutes are dropped
    expect((await rollUpStats(new Date(hourStart(1) + 5_000)))?.hours).toBeGreaterThan(0);
    expect(await minuteRows(trigger)).toEqual([]);
    const hourly = await db
      .select()
      .from(eventStatsHourly)
      .where(eq(eventStatsHourly.triggerId, trigger.id));
    expect(hourly.map((r) => [r.hour.getTime(), r.status, r.events]).sort()).toEqual([
      [base, "completed", 5],
      [base, "failed", 1],
    ]);
    expect((await statsOf(trigger)).hours[23]).toEqual(finishedLive.hours[23]);
  });

  it("an event stored after its minute was rolled, or with an id older than the live read looks at, counts once", async () => {
    const trigger = await seedTrigger();
    await rollUpStats(new Date(base + 20 * MINUTE + 1_000));
    // committed late: its created_at lies in a minute rolled already
    await seedAt(trigger, base + 19 * MINUTE + 30_000, { status: "filtered" });
    // made on a server whose clock runs a minute behind: its id is older than its created_at
    const createdAt = new Date(base + 20 * MINUTE + 10_000);
    await seedEvent(trigger, {
      id: idAt(new Date(createdAt.getTime() - MINUTE)),
      createdAt,
      status: "filtered",
    });
    // neither is in the rolled minutes or the live read yet
    expect((await statsOf(trigger)).hours[23].total).toBe(0);
    // the next minute's rollup takes both in (it rolls the last two minutes again)
    await rollUpStats(new Date(base + 21 * MINUTE + 1_000));
    expect(await minuteRows(trigger)).toEqual([
      [19, "filtered", 1],
      [20, "filtered", 1],
    ]);
    expect((await statsOf(trigger)).hours[23]).toMatchObject({ total: 2, filtered: 2 });
    await rollUpStats(new Date(base + 22 * MINUTE + 1_000));
    expect((await statsOf(trigger)).hours[23].total).toBe(2);
  });
});

describe("clocks", () => {
  it("an event whose id was made just before an hour and stored just after it counts once, in the later hour", async () => {
    const trigger = await seedTrigger();
    const hour = hourStart(-2);
    const id = idAt(new Date(hour - 1_000)); // the server's clock, a second behind the database's
    await seedEvent(trigger, { id, createdAt: new Date(hour + 1_000), status: "filtered" });
    const db = await getDb();
    // the rollup has got to exactly that hour: the event is read live, by created_at
    await db.execute(sql`delete from rollup_watermarks`);
    await db.execute(
      sql`insert into rollup_watermarks (name, through) values ('event_stats_hourly', ${new Date(hour).toISOString()})`,
    );
    const live = await eventStats({ ownerId: trigger.ownerId, triggerId: trigger.id });
    expect(live.hours[21]).toMatchObject({ hour: new Date(hour).toISOString(), total: 1 });
    expect(live.hours[20].total).toBe(0);
    // and rolled up from that hour on, it is still there once
    await rollUpStats(new Date(hourStart(1)));
    const rolled = await eventStats({ ownerId: trigger.ownerId, triggerId: trigger.id });
    expect(rolled.hours[21].total).toBe(1);
    expect(rolled.hours.reduce((n, h) => n + h.total, 0)).toBe(1);
  });
});

describe("the growth benchmark's history", () => {
  it("makes ids in SQL that sort by time exactly as lib/ids.ts does, and rolls the history up", async () => {
    const trigger = await seedTrigger();
    await seedHistory({ ownerId: trigger.ownerId, triggerId: trigger.id, events: 500 });
    const db = await getDb();
    const rows = await db
      .select({ id: triggerEvents.id, createdAt: triggerEvents.createdAt })
      .from(triggerEvents)
      .where(eq(triggerEvents.triggerId, trigger.id));
    expect(rows).toHaveLength(500);
    for (const r of rows) {
      expect(r.id >= idBefore("event", r.createdAt)).toBe(true);
      expect(r.id < idBefore("event", new Date(r.createdAt.getTime() + 1))).toBe(true);
    }
    const stats = await eventStats({ ownerId: trigger.ownerId, triggerId: trigger.id });
    expect(stats.days.reduce((n, d) => n + d.total, 0)).toBe(500);
  });
});

describe("token budget", () => {
  it("a spent budget fails the event with a sentence saying why and until when", async () => {
    const trigger = await seedTrigger("echo", {
      monthlyTokenBudget: 100,
      tokensUsed: 100,
      tokensMonth: monthStart(new Date()),
    });
    const id = await seedEvent(trigger);
    const event = (await claimBatch(50)).claimed.find((e) => e.id === id)!;
    expect(await attemptEvent(event)).toBe("failed");
    const db = await getDb();
    const [row] = await db.select().from(triggerEvents).where(eq(triggerEvents.id, id));
    expect(row.error).toMatch(/monthly token budget is spent \(100 of 100 tokens/);
    expect(row.error).toContain(monthStart(new Date(), 1).toISOString().slice(0, 10));
  });

  it("the month's counter starts over when the month turns", () => {
    const lastMonth = { tokensUsed: 500, tokensMonth: monthStart(new Date(), -1) };
    expect(tokensUsedThisMonth(lastMonth)).toBe(0);
    expect(tokensUsedThisMonth({ ...lastMonth, tokensMonth: monthStart(new Date()) })).toBe(500);
  });
});

describe("quantile", () => {
  it("interpolates inside the bucket and answers null without samples", () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([0, 2], 0.5)).toBe(175); // half-way through 100-250 ms
    expect(quantile([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3], 0.95)).toBe(300_000);
  });
});

describe("a paused trigger's held events and the hourly rollup", () => {
  beforeEach(async () => {
    const db = await getDb();
    await db.execute(sql`delete from trigger_events`);
    await db.execute(sql`delete from rollup_watermarks`);
    await db.execute(sql`delete from event_stats_hourly`);
  });
  const pendingMark = async () => {
    const db = await getDb();
    const rows = await db.execute(
      sql`select through from rollup_watermarks where name = 'event_stats_hourly:pending'`,
    );
    const [row] = rowsOf<{ through: Date | string }>(rows);
    return new Date(row.through).getTime();
  };
  /** A paused trigger with one event held since `at`, rolled up once: the mark is not held back. */
  const heldSince = async (at: number) => {
    const trigger = await seedTrigger("echo", { pausedAt: new Date() });
    const id = await seedAt(trigger, at);
    await rollUpStats(new Date(hourStart(2)));
    expect(await pendingMark()).toBe(hourStart(2));
    return { trigger, id };
  };
  const hourlyOf = async (triggerId: string) =>
    (
      await (
        await getDb()
      )
        .select()
        .from(eventStatsHourly)
        .where(eq(eventStatsHourly.triggerId, triggerId))
    ).map((r) => [r.hour.getTime(), r.status, r.events]);

  it("do not hold every rollup back to their hour; resumed, their hour is counted again", async () => {
    // before: the held event pinned the mark 30 hours back, and each rollup rolled from there
    const at = hourStart(-30) + 120_000;
    const { trigger, id } = await heldSince(at);

    await resumeTrigger({ ownerId: trigger.ownerId, id: trigger.id });
    expect(await pendingMark()).toBe(hourStart(-30));
    const db = await getDb();
    await db
      .update(triggerEvents)
      .set(finished(at, "completed", 1_000))
      .where(eq(triggerEvents.id, id));
    await rollUpStats(new Date(hourStart(3)));
    expect(await hourlyOf(trigger.id)).toEqual([[hourStart(-30), "completed", 1]]);
  });

  it("cancelled while paused, a held event's hour is counted again", async () => {
    const { trigger, id } = await heldSince(hourStart(-20) + 60_000);
    await cancelEvent({ ownerId: trigger.ownerId, triggerId: trigger.id, eventId: id });
    expect(await pendingMark()).toBe(hourStart(-20));
    await rollUpStats(new Date(hourStart(3)));
    expect(await hourlyOf(trigger.id)).toEqual([[hourStart(-20), "cancelled", 1]]);
  });
});
