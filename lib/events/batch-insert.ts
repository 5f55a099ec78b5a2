import "server-only";
import { inArray, sql } from "drizzle-orm";
import type { PgInsertValue } from "drizzle-orm/pg-core";
import { getDb, type Db } from "@/db/client";
import { triggerEvents, type TriggerEvent } from "@/db/schema";

/** An event row to insert; values may be SQL (completed_at = now()). */
export type EventRow = PgInsertValue<typeof triggerEvents> & { id: string };
type Row = EventRow;
/** What the caller needs back: the id, the status it was stored with, and what dispatch keys on. */
export type StoredEvent = Pick<
  TriggerEvent,
  "id" | "status" | "triggerId" | "ownerId" | "sessionKey"
>;
// Returning only these (not the payload back) is a measurable share of ingest (docs/benchmarks.md).
const STORED = {
  id: triggerEvents.id,
  status: triggerEvents.status,
  triggerId: triggerEvents.triggerId,
  ownerId: triggerEvents.ownerId,
  sessionKey: triggerEvents.sessionKey,
};
type Waiter = {
  row: Row;
  resolve: (e: StoredEvent) => void;
  reject: (e: unknown) => void;
  sent: boolean;
};

const MAX_BATCH = 500;
/** A PostgreSQL insert that has not finished in this time is cancelled by the server itself. */
export const INSERT_TIMEOUT_MS = 3000;
const g = globalThis as unknown as { __eventBatch?: { queue: Waiter[]; scheduled: boolean } };
const state = (g.__eventBatch ??= { queue: [], scheduled: false });

/** The insert was given up before it was sent: the row certainly was not, and will not be, stored. */
export class NotSentError extends Error {}

export type WithdrawOptions = {
  /** Aborting withdraws the row if it was not sent to the database yet. */
  signal?: AbortSignal;
  /** Called (synchronously, on abort) when the row was withdrawn. */
  onWithdrawn?: () => void;
};

/**
 * Inserts event rows that arrive together in one multi-row INSERT: under load
 * one statement (and one commit) carries many events, which is what lets the
 * embedded database keep up. Each caller's promise resolves only after the
 * statement holding its row has committed, so a 202 still means "stored".
 * If a batch fails, its rows are retried one by one so only a bad row fails.
 * A row whose id is already stored (the retry of a request answered 503)
 * resolves with the stored row. `signal` withdraws a row not sent yet.
 */
export function insertEventBatched(
  row: Row,
  { signal, onWithdrawn }: WithdrawOptions = {},
): Promise<StoredEvent> {
  return new Promise((resolve, reject) => {
    const waiter: Waiter = { row, resolve, reject, sent: false };
    state.queue.push(waiter);
    signal?.addEventListener(
      "abort",
      () => {
        if (waiter.sent) return;
        state.queue.splice(state.queue.indexOf(waiter), 1);
        onWithdrawn?.();
        reject(new NotSentError("The event was not sent to the database before the deadline"));
      },
      { once: true },
    );
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
  for (const w of batch) w.sent = true;
  let db: Db;
  try {
    db = await getDb();
  } catch (error) {
    for (const w of batch) w.reject(error);
    return;
  }
  try {
    const rows = await insertRows(
      db,
      batch.map((w) => w.row),
    );
    for (const w of batch) {
      const r = rows.get(w.row.id);
      if (r) w.resolve(r);
      else w.reject(new Error("Event row was not stored"));
    }
  } catch (error) {
    if (batch.length === 1) return batch[0].reject(error);
    await Promise.all(
      batch.map(async (w) => {
        try {
          const r = (await insertRows(db, [w.row])).get(w.row.id);
          if (r) w.resolve(r);
          else w.reject(new Error("Event row was not stored"));
        } catch (e) {
          w.reject(e);
        }
      }),
    );
  }
}

/**
 * The rows, stored (or found stored under the same id). On PostgreSQL the
 * statement is bounded by the server (statement_timeout), so an insert the
 * endpoint gave up on does not commit minutes later.
 */
async function insertRows(db: Db, rows: Row[]): Promise<Map<string, StoredEvent>> {
  const run = async (tx: Pick<Db, "insert" | "select" | "execute">) => {
    if (db.$dialect === "postgres")
      await tx.execute(sql.raw(`set local statement_timeout = ${INSERT_TIMEOUT_MS}`));
    const inserted = await tx
      .insert(triggerEvents)
      .values(rows)
      .onConflictDoNothing({ target: triggerEvents.id })
      .returning(STORED);
    const out = new Map(inserted.map((r) => [r.id, r]));
    const missing = rows.filter((r) => !out.has(r.id)).map((r) => r.id);
    if (missing.length) {
      const found = await tx
        .select(STORED)
        .from(triggerEvents)
        .where(inArray(triggerEvents.id, missing));
      for (const r of found) out.set(r.id, r);
    }
    return out;
  };
  return db.$dialect === "postgres" ? db.transaction(run) : run(db);
}
