import "server-only";
import { and, count, eq, gte, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import { getDb } from "@/db/client";
import { triggerEvents, type TriggerEvent } from "@/db/schema";
import { notFound } from "@/lib/api/errors";
import { iso } from "@/lib/api/fields";
import { cursorClauses, toPage } from "@/lib/api/pagination";
import { getTriggerOrThrow } from "@/lib/triggers/service";
import { queueEvent } from "./queue";
import type { listEventsQuerySchema } from "./schema";

export const serializeEvent = (e: TriggerEvent) => ({
  id: e.id,
  triggerId: e.triggerId,
  kind: e.kind,
  status: e.status,
  payload: e.payload,
  contentType: e.contentType,
  sessionKey: e.sessionKey,
  contact: e.contact,
  idempotencyKey: e.idempotencyKey,
  scheduledFor: iso(e.scheduledFor),
  replayOf: e.replayOf,
  attempts: e.attempts,
  error: e.error,
  conversationId: e.conversationId,
  createdAt: iso(e.createdAt),
  startedAt: iso(e.startedAt),
  completedAt: iso(e.completedAt),
  latencyMs: e.completedAt ? e.completedAt.getTime() - e.createdAt.getTime() : null,
});

type Owner = { ownerId: string };

export async function listEvents({
  ownerId,
  triggerId,
  query,
}: Owner & { triggerId: string; query: z.infer<typeof listEventsQuerySchema> }) {
  await getTriggerOrThrow({ ownerId, id: triggerId });
  const db = await getDb();
  const c = cursorClauses(triggerEvents.id, query);
  const filters: (SQL | undefined)[] = [
    eq(triggerEvents.triggerId, triggerId),
    eq(triggerEvents.ownerId, ownerId),
    c.where,
  ];
  if (query.status) filters.push(eq(triggerEvents.status, query.status));
  const rows = await db
    .select()
    .from(triggerEvents)
    .where(and(...filters))
    .orderBy(c.orderBy)
    .limit(c.limit);
  return toPage(rows.map(serializeEvent), query.take);
}

/** A new event with the same payload, session and contact, linked to the original. */
export async function replayEvent({
  ownerId,
  triggerId,
  eventId,
}: Owner & { triggerId: string; eventId: string }) {
  const trigger = await getTriggerOrThrow({ ownerId, id: triggerId });
  const db = await getDb();
  const [original] = await db
    .select()
    .from(triggerEvents)
    .where(
      and(
        eq(triggerEvents.id, eventId),
        eq(triggerEvents.triggerId, triggerId),
        eq(triggerEvents.ownerId, ownerId),
      ),
    );
  if (!original) throw notFound("Event");
  const { id } = await queueEvent({
    trigger,
    kind: original.kind,
    payload: original.payload,
    contentType: original.contentType,
    sessionKey: original.sessionKey,
    contact: original.contact,
    replayOf: original.id,
  });
  return { id: triggerId, eventId: id };
}

/** Events per hour over the last 24 hours, oldest first, for the trigger's overview chart. */
export async function eventStats({ ownerId, triggerId }: Owner & { triggerId: string }) {
  const trigger = await getTriggerOrThrow({ ownerId, id: triggerId });
  const db = await getDb();
  const hour = 3_600_000;
  const end = Math.floor(Date.now() / hour) * hour + hour;
  const start = end - 24 * hour;
  const rows = await db
    .select({
      bucket: sql<string>`floor(extract(epoch from ${triggerEvents.createdAt}) / 3600)`,
      status: triggerEvents.status,
      n: count(),
    })
    .from(triggerEvents)
    .where(
      and(eq(triggerEvents.triggerId, triggerId), gte(triggerEvents.createdAt, new Date(start))),
    )
    .groupBy(sql`1`, triggerEvents.status);
  const hours = Array.from({ length: 24 }, (_, i) => ({
    hour: new Date(start + i * hour).toISOString(),
    total: 0,
    failed: 0,
  }));
  for (const r of rows) {
    const i = Number(r.bucket) - start / hour;
    if (i < 0 || i >= 24) continue;
    hours[i].total += Number(r.n);
    if (r.status === "failed") hours[i].failed += Number(r.n);
  }
  return { hours, rejectedCount: trigger.rejectedCount };
}
