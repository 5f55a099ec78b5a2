import "server-only";
import { and, asc, eq, ne, sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { triggerEvents as e, type Trigger, type TriggerEvent } from "@/db/schema";
import { recordEventMessage } from "./conversation";

// A run may hold several events: a batch (the events of one key that arrived within the
// trigger's window, taken in by the claim) or events that joined a run of their session while it
// went on (onBusy "merge" or "interrupt"). The run's first event carries the run: its claim, its
// lease, its steps and its tokens. The others are `batched` with batchId = that event's id, and
// finish when it finishes (completed, failed or cancelled with it).

/** Events one run takes in when its session gets more while it goes on. */
const MAX_JOINED = 20;

/** The other events of a run still in it, in arrival order (a cancelled one has left it). */
export async function runMembers(db: Db, lead: Pick<TriggerEvent, "id" | "batchId">) {
  if (lead.batchId !== lead.id) return [];
  return db
    .select()
    .from(e)
    .where(and(eq(e.batchId, lead.id), ne(e.id, lead.id), eq(e.status, "batched")))
    .orderBy(asc(e.id));
}

/** Links the run's other events to its conversation and records each as a user message. */
export async function recordMembers(
  db: Db,
  members: TriggerEvent[],
  trigger: Pick<Trigger, "ownerId" | "name" | "prompt">,
  conversationId: string,
) {
  for (const m of members) {
    if (m.conversationId !== conversationId)
      await db.update(e).set({ conversationId }).where(eq(e.id, m.id));
    await recordEventMessage(db, m, trigger, conversationId);
  }
}

/**
 * onBusy "merge" and "interrupt": the events of the run's session that arrived since it started
 * join it (`batched` into it) and are recorded in its conversation, for the model's next step.
 */
export async function joinRun(
  db: Db,
  lead: TriggerEvent,
  trigger: Pick<Trigger, "ownerId" | "name" | "prompt">,
  conversationId: string,
): Promise<TriggerEvent[]> {
  if (!lead.sessionKey) return [];
  const joined = await db.transaction(async (tx) => {
    // only into a run that still holds its lead (locked: a cancellation of the lead waits for
    // this join and then cancels the joined events with it; one that came first leaves no run)
    const held = rowsOf<{ id: string }>(
      await tx.execute(sql`
        select id from ${e}
        where id = ${lead.id} and status = 'processing' and attempts = ${lead.attempts}
        for update`),
    );
    if (!held.length) return [];
    const rows = rowsOf<{ id: string }>(
      await tx.execute(sql`
        update ${e} set status = 'batched', batch_id = ${lead.id}, locked_until = null,
          conversation_id = ${conversationId}, updated_at = now()
        where id in (
          select id from ${e}
          where ${e.triggerId} = ${lead.triggerId} and ${e.sessionKey} = ${lead.sessionKey}
            and ${e.status} = 'queued' and ${e.attempts} = 0 and ${e.id} > ${lead.id}
          order by ${e.id} limit ${MAX_JOINED}
          for update skip locked)
        returning id`),
    );
    if (!rows.length) return [];
    await tx.update(e).set({ batchId: lead.id }).where(eq(e.id, lead.id));
    return tx
      .select()
      .from(e)
      .where(
        sql`${e.id} in (${sql.join(
          rows.map((r) => sql`${r.id}`),
          sql`, `,
        )})`,
      )
      .orderBy(asc(e.id));
  });
  if (joined.length) lead.batchId = lead.id;
  await recordMembers(db, joined, trigger, conversationId);
  return joined;
}

/** Whether an event of the run's session arrived since it started (onBusy "interrupt"). */
export async function newerInSession(
  db: Db,
  lead: Pick<TriggerEvent, "id" | "triggerId" | "sessionKey">,
) {
  if (!lead.sessionKey) return false;
  const [row] = await db
    .select({ id: e.id })
    .from(e)
    .where(
      and(
        eq(e.triggerId, lead.triggerId),
        eq(e.sessionKey, lead.sessionKey),
        eq(e.status, "queued"),
        sql`${e.id} > ${lead.id}`,
      ),
    )
    .limit(1);
  return Boolean(row);
}
