import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { getDb, rowsOf } from "@/db/client";
import { getOwnedOrThrow } from "@/db/owned";
import { cursorClauses, toPage } from "@/db/pages";
import {
  notificationEndpoints,
  outbox,
  type NotificationEndpoint,
  type OutboxRow,
} from "@/db/schema";
import { ApiError, notFound } from "@/lib/core/errors";
import { hasChanges, iso } from "@/lib/core/fields";
import { newId } from "@/lib/core/ids";
import type { ListQuery } from "@/lib/core/list-query";
import { encryptSecret } from "@/lib/crypto/secrets";
import { outboxId, sendOutbox } from "./enqueue";
import type { createEndpointSchema, updateEndpointSchema } from "./schema";
import { newSigningSecret } from "./sign";

// An account's notification endpoints: CRUD in the house style, the secret shown once (at create
// and rotate), the delivery log (the endpoint's outbox rows) and a manual resend.

type Owner = { ownerId: string };

/** Endpoints per account. */
export const MAX_ENDPOINTS = 20;

export const serializeEndpoint = (e: NotificationEndpoint) => ({
  id: e.id,
  url: e.url,
  description: e.description,
  events: e.events,
  enabled: e.enabled,
  /** Why the server turned it off (24 hours of failed deliveries); null while on. */
  disabledReason: e.enabled ? null : e.disabledReason,
  failingSince: iso(e.failingSince),
  createdAt: iso(e.createdAt),
  updatedAt: iso(e.updatedAt),
});

export const serializeDelivery = (r: OutboxRow) => ({
  id: r.id,
  type: r.type,
  status: r.status,
  attempts: r.attempts,
  /** The receiver's last HTTP status; null when it could not be reached. */
  lastStatus: r.lastStatus,
  lastError: r.lastError,
  nextAttemptAt: r.status === "pending" ? iso(r.nextAttemptAt) : null,
  deliveredAt: iso(r.deliveredAt),
  eventId: r.eventId,
  triggerId: r.triggerId,
  data: (r.body.data as Record<string, unknown> | undefined) ?? {},
  createdAt: iso(r.createdAt),
});

export async function createEndpoint({
  ownerId,
  input,
}: Owner & { input: z.infer<typeof createEndpointSchema> }) {
  const db = await getDb();
  const existing = await db
    .select({ id: notificationEndpoints.id })
    .from(notificationEndpoints)
    .where(eq(notificationEndpoints.ownerId, ownerId))
    .limit(MAX_ENDPOINTS);
  if (existing.length >= MAX_ENDPOINTS)
    throw new ApiError(
      "CONFLICT",
      `An account has at most ${MAX_ENDPOINTS} notification endpoints`,
    );
  const id = newId("endpoint");
  const secret = newSigningSecret();
  await db.insert(notificationEndpoints).values({
    id,
    ownerId,
    url: input.url,
    description: input.description ?? null,
    events: [...new Set(input.events)],
    secretEnc: encryptSecret(secret),
  });
  return { id, secret };
}

const owned = async (ownerId: string, id: string) =>
  getOwnedOrThrow(await getDb(), notificationEndpoints, id, ownerId, "Notification endpoint");

export async function fetchEndpoint({ ownerId, id }: Owner & { id: string }) {
  return serializeEndpoint(await owned(ownerId, id));
}

export async function listEndpoints({ ownerId, query }: Owner & { query: ListQuery }) {
  const db = await getDb();
  const c = cursorClauses(notificationEndpoints.id, query);
  const rows = await db
    .select()
    .from(notificationEndpoints)
    .where(and(eq(notificationEndpoints.ownerId, ownerId), c.where))
    .orderBy(c.orderBy)
    .limit(c.limit);
  return toPage(rows.map(serializeEndpoint), query.take);
}

export async function updateEndpoint({
  ownerId,
  id,
  input,
}: Owner & { id: string; input: z.infer<typeof updateEndpointSchema> }) {
  await owned(ownerId, id);
  if (!hasChanges(input)) return { id };
  const db = await getDb();
  await db
    .update(notificationEndpoints)
    .set({
      ...(input.url !== undefined && { url: input.url }),
      ...(input.events !== undefined && { events: [...new Set(input.events)] }),
      ...(input.description !== undefined && { description: input.description }),
      // turned on again: its failure streak starts afresh
      ...(input.enabled !== undefined && {
        enabled: input.enabled,
        ...(input.enabled && { failingSince: null, disabledReason: null }),
      }),
    })
    .where(eq(notificationEndpoints.id, id));
  return { id };
}

export async function deleteEndpoint({ ownerId, id }: Owner & { id: string }) {
  await owned(ownerId, id);
  const db = await getDb();
  await db.delete(notificationEndpoints).where(eq(notificationEndpoints.id, id));
  return { id };
}

/** A new secret (shown once); the old one stops signing at once. */
export async function rotateEndpointSecret({ ownerId, id }: Owner & { id: string }) {
  await owned(ownerId, id);
  const secret = newSigningSecret();
  const db = await getDb();
  await db
    .update(notificationEndpoints)
    .set({ secretEnc: encryptSecret(secret) })
    .where(eq(notificationEndpoints.id, id));
  return { id, secret };
}

export async function listDeliveries({
  ownerId,
  id,
  query,
}: Owner & { id: string; query: ListQuery }) {
  await owned(ownerId, id);
  const db = await getDb();
  const c = cursorClauses(outbox.id, query);
  const rows = await db
    .select()
    .from(outbox)
    .where(and(eq(outbox.endpointId, id), eq(outbox.ownerId, ownerId), c.where))
    .orderBy(c.orderBy)
    .limit(c.limit);
  return toPage(rows.map(serializeDelivery), query.take);
}

/** Deliveries waiting for one endpoint beyond which a resend is refused. */
export const MAX_PENDING_PER_ENDPOINT = 100;

/** Sends a delivery again as a new one (its own attempts and horizon), signed afresh. */
export async function resendDelivery({
  ownerId,
  id,
  deliveryId,
}: Owner & { id: string; deliveryId: string }) {
  await owned(ownerId, id);
  const db = await getDb();
  const [row] = await db
    .select()
    .from(outbox)
    .where(and(eq(outbox.id, deliveryId), eq(outbox.endpointId, id), eq(outbox.ownerId, ownerId)));
  if (!row) throw notFound("Delivery");
  // resends are by hand: a loop of them must not pile up a backlog in front of the endpoint; the
  // endpoint's resends count and insert one at a time (two at 99 would both pass)
  const copy = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`outbox-resend:${id}`}))`);
    const pending = (
      await tx
        .select({ id: outbox.id })
        .from(outbox)
        .where(and(eq(outbox.endpointId, id), eq(outbox.status, "pending")))
        .limit(MAX_PENDING_PER_ENDPOINT)
    ).length;
    if (pending >= MAX_PENDING_PER_ENDPOINT)
      throw new ApiError(
        "RATE_LIMITED",
        `This endpoint has ${pending} deliveries waiting already; resend once they have gone out`,
        { headers: { "Retry-After": "60" } },
      );
    const key = `resend:${newId("outbox")}`;
    const [inserted] = rowsOf<{ id: string }>(
      await tx.execute(sql`
        insert into outbox (id, owner_id, kind, type, trigger_id, event_id, conversation_id,
          endpoint_id, body, dedupe_key)
        select ${outboxId(sql`${key}`)}, owner_id, kind, type, trigger_id, event_id, conversation_id,
          endpoint_id, body, ${key}
        from outbox where id = ${row.id}
        returning id`),
    );
    return inserted;
  });
  await sendOutbox();
  return { id, deliveryId: copy.id };
}
