import "server-only";
import { and, eq, ne, sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { triggerEvents as e, triggers, type TriggerEvent } from "@/db/schema";

// The claim's side of batches (./batch.ts has the run's): an event held for a batch takes the
// other events of its key into its run when it is claimed, and they finish as it finishes.

/**
 * At the claim of an event held for a batch (its first claim): the other queued events of its
 * key join its run, up to the trigger's maxEvents in all, oldest first. Locked with SKIP LOCKED:
 * an event another claim holds stays for the next run.
 */
export async function gatherBatch(
  tx: Pick<Db, "execute" | "select" | "update">,
  lead: TriggerEvent,
) {
  if (!lead.batchKey || lead.batchId || lead.attempts !== 1) return;
  const [trigger] = await tx
    .select({ batch: triggers.batch })
    .from(triggers)
    .where(eq(triggers.id, lead.triggerId));
  const room = (trigger?.batch?.maxEvents ?? 1) - 1;
  if (room < 1) return;
  const joined = rowsOf<{ id: string }>(
    await tx.execute(sql`
      update ${e} set status = 'batched', batch_id = ${lead.id}, locked_until = null,
        updated_at = now()
      where id in (
        select id from ${e}
        where ${e.triggerId} = ${lead.triggerId} and ${e.batchKey} = ${lead.batchKey}
          and ${e.status} = 'queued' and ${e.attempts} = 0 and ${e.id} <> ${lead.id}
        order by ${e.id} limit ${room}
        for update skip locked)
      returning id`),
  );
  if (!joined.length) return;
  await tx.update(e).set({ batchId: lead.id }).where(eq(e.id, lead.id));
  lead.batchId = lead.id;
}

/** A run's other events end as its first one did (in the same transaction, where there is one). */
export function finishMembers(
  db: Pick<Db, "update">,
  leadId: string,
  status: "completed" | "failed" | "cancelled",
  error: string | null = null,
) {
  return db
    .update(e)
    .set({ status, error, completedAt: sql`now()`, lockedUntil: null })
    .where(and(eq(e.batchId, leadId), ne(e.id, leadId), eq(e.status, "batched")));
}
