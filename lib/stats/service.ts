import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { getDb } from "@/db/client";
import { triggerEvents, triggers, type EventStatus } from "@/db/schema";
import { iso } from "@/lib/core/fields";
import { getTriggerOrThrow } from "@/db/owned";
import { addBuckets, quantile } from "./latency";
import { latencyBuckets, statRows, statsReader, type StatRow } from "./rows";
import type { usageQuerySchema } from "./schema";
import { monthStart, tokensUsedThisMonth } from "./usage";
import { now } from "@/lib/core/clock";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const STATUSES: EventStatus[] = [
  "completed",
  "failed",
  "cancelled",
  "filtered",
  "queued",
  "processing",
  "waiting",
  "batched",
];

type Bucket = {
  total: number;
  /** Runs of the bot among them: a batch of ten events is one run (total - runs were saved). */
  runs: number;
  byStatus: Record<EventStatus, number>;
  /** For the chart of the seed's old shape: the three outcomes that need a look. */
  failed: number;
  cancelled: number;
  filtered: number;
  /** End-to-end latency (arrival to final status) of the finished events, in ms. */
  p50: number | null;
  p95: number | null;
  inputTokens: number;
  outputTokens: number;
};

function series(rows: StatRow[], start: number, size: number, count: number) {
  const out = Array.from({ length: count }, () => ({
    latency: [] as number[],
    bucket: {
      total: 0,
      runs: 0,
      byStatus: Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<EventStatus, number>,
      failed: 0,
      cancelled: 0,
      filtered: 0,
      p50: null,
      p95: null,
      inputTokens: 0,
      outputTokens: 0,
    } as Bucket,
  }));
  for (const r of rows) {
    const i = Math.floor((r.at.getTime() - start) / size);
    if (i < 0 || i >= count) continue;
    const b = out[i].bucket;
    b.total += r.events;
    b.runs += r.runs;
    b.byStatus[r.status] = (b.byStatus[r.status] ?? 0) + r.events;
    b.inputTokens += r.inputTokens;
    b.outputTokens += r.outputTokens;
    addBuckets(out[i].latency, r.buckets);
  }
  return out.map(({ latency, bucket }, i) => {
    bucket.failed = bucket.byStatus.failed;
    bucket.cancelled = bucket.byStatus.cancelled;
    bucket.filtered = bucket.byStatus.filtered;
    bucket.p50 = quantile(latency, 0.5);
    bucket.p95 = quantile(latency, 0.95);
    return { at: new Date(start + i * size).toISOString(), ...bucket };
  });
}

const windows = (at = now().getTime()) => {
  const hourEnd = Math.floor(at / HOUR) * HOUR + HOUR;
  const dayEnd = Math.floor(at / DAY) * DAY + DAY;
  return { hourStart: hourEnd - 24 * HOUR, dayStart: dayEnd - 30 * DAY };
};

/** A trigger's charts: per hour over 24 hours and per day (UTC) over 30 days, by status, with latency and tokens. */
export async function eventStats({ ownerId, triggerId }: { ownerId: string; triggerId: string }) {
  const trigger = await getTriggerOrThrow({ ownerId, id: triggerId });
  const db = await getDb();
  const { hourStart, dayStart } = windows();
  const scope = { rollup: sql`trigger_id = ${triggerId}`, live: sql`e.trigger_id = ${triggerId}` };
  const reader = await statsReader(db, scope);
  const [hourly, daily] = await Promise.all([
    statRows(db, scope, new Date(hourStart), "hour", reader),
    statRows(db, scope, new Date(dayStart), "day", reader),
  ]);
  return {
    hours: series(hourly, hourStart, HOUR, 24).map(({ at, ...b }) => ({ hour: at, ...b })),
    days: series(daily, dayStart, DAY, 30).map(({ at, ...b }) => ({ day: at.slice(0, 10), ...b })),
    rejectedCount: trigger.rejectedCount,
    monthlyTokenBudget: trigger.monthlyTokenBudget,
    tokensUsedThisMonth: tokensUsedThisMonth(trigger),
    budgetResetsAt: iso(monthStart(now(), 1)),
  };
}

/** The account at a glance: totals, the triggers with failures first, the latest failures. */
export async function accountOverview({ ownerId }: { ownerId: string }) {
  const db = await getDb();
  const { hourStart, dayStart } = windows();
  const scope = {
    rollup: sql`owner_id = ${ownerId}`,
    live: sql`e.trigger_id in (select id from triggers where owner_id = ${ownerId})`,
  };
  const reader = await statsReader(db, scope);
  const [last24, daily, latency, owned, failures] = await Promise.all([
    statRows(db, scope, new Date(hourStart), "trigger", reader),
    statRows(db, scope, new Date(dayStart), "day", reader),
    latencyBuckets(db, scope, new Date(hourStart), reader),
    db
      .select({ id: triggers.id, name: triggers.name, lastTriggerAt: triggers.lastTriggerAt })
      .from(triggers)
      .where(eq(triggers.ownerId, ownerId)),
    db
      .select({
        id: triggerEvents.id,
        triggerId: triggerEvents.triggerId,
        triggerName: triggers.name,
        kind: triggerEvents.kind,
        error: triggerEvents.error,
        conversationId: triggerEvents.conversationId,
        createdAt: triggerEvents.createdAt,
      })
      .from(triggerEvents)
      .innerJoin(triggers, eq(triggers.id, triggerEvents.triggerId))
      .where(and(eq(triggerEvents.ownerId, ownerId), eq(triggerEvents.status, "failed")))
      .orderBy(desc(triggerEvents.id))
      .limit(10),
  ]);
  const sum = (list: StatRow[], f: (r: StatRow) => number) => list.reduce((a, r) => a + f(r), 0);
  const perTrigger = new Map<string, { events: number; failed: number }>();
  for (const r of last24) {
    const t = perTrigger.get(r.triggerId) ?? { events: 0, failed: 0 };
    t.events += r.events;
    if (r.status === "failed") t.failed += r.events;
    perTrigger.set(r.triggerId, t);
  }
  const triggerRows = owned
    .map((t) => ({
      id: t.id,
      name: t.name,
      lastTriggerAt: iso(t.lastTriggerAt),
      events24h: perTrigger.get(t.id)?.events ?? 0,
      failed24h: perTrigger.get(t.id)?.failed ?? 0,
    }))
    .sort(
      (a, b) =>
        b.failed24h - a.failed24h ||
        b.events24h - a.events24h ||
        (a.name ?? a.id).localeCompare(b.name ?? b.id),
    );
  return {
    totals: {
      triggers: owned.length,
      events24h: sum(last24, (r) => r.events),
      failed24h: sum(last24, (r) => (r.status === "failed" ? r.events : 0)),
      p95LatencyMs24h: quantile(latency, 0.95),
      tokens30d: sum(daily, (r) => r.inputTokens + r.outputTokens),
    },
    triggers: triggerRows.slice(0, 20),
    latestFailures: failures.map((f) => ({ ...f, createdAt: iso(f.createdAt) })),
    days: series(daily, dayStart, DAY, 30).map(({ at, ...b }) => ({ day: at.slice(0, 10), ...b })),
  };
}

/**
 * GET .../trigger/{id}/usage: the model tokens the trigger's runs used between
 * `from` and `to` (by the hour the event arrived), per UTC day, and its budget.
 */
export async function triggerUsage({
  ownerId,
  triggerId,
  query,
}: {
  ownerId: string;
  triggerId: string;
  query: z.infer<typeof usageQuerySchema>;
}) {
  const trigger = await getTriggerOrThrow({ ownerId, id: triggerId });
  const db = await getDb();
  const to = query.to ?? now();
  const from = query.from ?? monthStart(to);
  // whole UTC days: `from` counts from the start of its day, `to` up to the end of its day if it
  // falls inside one (the default, now, includes today)
  const start = new Date(Math.floor(from.getTime() / DAY) * DAY);
  const scope = { rollup: sql`trigger_id = ${triggerId}`, live: sql`e.trigger_id = ${triggerId}` };
  const rows = (await statRows(db, scope, start, "day")).filter((r) => r.at < to);
  const days = new Map<
    string,
    { day: string; events: number; inputTokens: number; outputTokens: number }
  >();
  for (const r of rows) {
    const day = r.at.toISOString().slice(0, 10);
    const d = days.get(day) ?? { day, events: 0, inputTokens: 0, outputTokens: 0 };
    d.events += r.events;
    d.inputTokens += r.inputTokens;
    d.outputTokens += r.outputTokens;
    days.set(day, d);
  }
  const list = [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
  const inputTokens = list.reduce((a, d) => a + d.inputTokens, 0);
  const outputTokens = list.reduce((a, d) => a + d.outputTokens, 0);
  return {
    triggerId,
    from: start.toISOString(),
    to: to.toISOString(),
    events: list.reduce((a, d) => a + d.events, 0),
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
    days: list,
    monthlyTokenBudget: trigger.monthlyTokenBudget,
    tokensUsedThisMonth: tokensUsedThisMonth(trigger),
    budgetResetsAt: monthStart(now(), 1).toISOString(),
  };
}
