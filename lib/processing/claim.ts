import "server-only";
import { and, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { triggerEvents as e, type TriggerEvent } from "@/db/schema";
import { tsParam } from "@/lib/api/sql-values";

export const MAX_ATTEMPTS = 3;
/** A claim expires unless renewed; a crashed server's events are taken over after this. */
export const LEASE_MS = 30_000;

/**
 * Claims up to `limit` runnable events (FOR UPDATE SKIP LOCKED, so servers
 * sharing a database never take the same one): queued ones whose back-off has
 * passed and processing ones whose lease expired. An event waits while an
 * earlier event of the same session is pending, so a conversation's events
 * are handled one at a time, in arrival order.
 */
export async function claimBatch(limit: number): Promise<TriggerEvent[]> {
  const db = await getDb();
  const at = new Date();
  const leaseUntil = new Date(at.getTime() + LEASE_MS);
  return db.transaction(async (tx) => {
    const ids = await tx
      .select({ id: e.id })
      .from(e)
      .where(
        and(
          or(
            and(eq(e.status, "queued"), or(isNull(e.lockedUntil), lte(e.lockedUntil, at))),
            and(eq(e.status, "processing"), lte(e.lockedUntil, at)),
          ),
          sql`not exists (
            select 1 from trigger_events p
            where p.trigger_id = ${e.triggerId} and p.session_key = ${e.sessionKey} and p.id <> ${e.id}
              and p.status in ('queued', 'processing')
              and ((p.status = 'processing' and p.locked_until > ${tsParam(at)}) or (p.status = 'queued' and p.id < ${e.id})))`,
        ),
      )
      .orderBy(e.id)
      .limit(limit)
      .for("update", { skipLocked: true });
    if (!ids.length) return [];
    const rows = await tx
      .update(e)
      .set({
        status: "processing",
        attempts: sql`${e.attempts} + 1`,
        lockedUntil: leaseUntil,
        startedAt: sql`coalesce(${e.startedAt}, ${tsParam(at)})`,
        updatedAt: at,
      })
      .where(
        inArray(
          e.id,
          ids.map((r) => r.id),
        ),
      )
      .returning();
    return rows.sort((a, b) => a.id.localeCompare(b.id));
  });
}

/** Claims one event by id (the Inngest path, where Inngest decides when it runs). */
export async function claimEvent(id: string): Promise<TriggerEvent | null> {
  const db = await getDb();
  const at = new Date();
  const [row] = await db
    .update(e)
    .set({
      status: "processing",
      attempts: sql`${e.attempts} + 1`,
      lockedUntil: new Date(at.getTime() + LEASE_MS),
      startedAt: sql`coalesce(${e.startedAt}, ${tsParam(at)})`,
      updatedAt: at,
    })
    .where(
      and(
        eq(e.id, id),
        or(eq(e.status, "queued"), and(eq(e.status, "processing"), lte(e.lockedUntil, at))),
      ),
    )
    .returning();
  return row ?? null;
}

/**
 * Extends a claim (while a long bot run is going, or before starting an event
 * that waited in a runner's buffer); false when the claim is no longer this
 * holder's: completed, or taken over by another claim after the lease ended.
 */
export async function renewLease(event: Pick<TriggerEvent, "id" | "attempts">): Promise<boolean> {
  const db = await getDb();
  const rows = await db
    .update(e)
    .set({ lockedUntil: new Date(Date.now() + LEASE_MS) })
    .where(and(eq(e.id, event.id), eq(e.attempts, event.attempts), eq(e.status, "processing")))
    .returning({ id: e.id });
  return rows.length > 0;
}
