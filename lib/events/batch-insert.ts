import "server-only";
import { getDb } from "@/db/client";
import { triggerEvents, type TriggerEvent } from "@/db/schema";

type Row = typeof triggerEvents.$inferInsert;
type Waiter = { row: Row; resolve: (e: TriggerEvent) => void; reject: (e: unknown) => void };

const MAX_BATCH = 500;
const g = globalThis as unknown as { __eventBatch?: { queue: Waiter[]; scheduled: boolean } };
const state = (g.__eventBatch ??= { queue: [], scheduled: false });

/**
 * Inserts event rows that arrive together in one multi-row INSERT: under load
 * one statement (and one commit) carries many events, which is what lets the
 * embedded database keep up. Each caller's promise resolves only after the
 * statement holding its row has committed, so a 202 still means "stored".
 * If a batch fails, its rows are retried one by one so only a bad row fails.
 */
export function insertEventBatched(row: Row): Promise<TriggerEvent> {
  return new Promise((resolve, reject) => {
    state.queue.push({ row, resolve, reject });
    if (!state.scheduled) {
      state.scheduled = true;
      setImmediate(flush);
    }
  });
}

async function flush() {
  const batch = state.queue.splice(0, MAX_BATCH);
  if (state.queue.length) setImmediate(flush);
  else state.scheduled = false;
  if (!batch.length) return;
  let db;
  try {
    db = await getDb();
  } catch (error) {
    for (const w of batch) w.reject(error);
    return;
  }
  try {
    const rows = await db
      .insert(triggerEvents)
      .values(batch.map((w) => w.row))
      .returning();
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const w of batch) {
      const r = byId.get(w.row.id!);
      if (r) w.resolve(r);
      else w.reject(new Error("Event row was not stored"));
    }
  } catch (error) {
    if (batch.length === 1) return batch[0].reject(error);
    await Promise.all(
      batch.map(async (w) => {
        try {
          const [r] = await db.insert(triggerEvents).values(w.row).returning();
          w.resolve(r);
        } catch (e) {
          w.reject(e);
        }
      }),
    );
  }
}
