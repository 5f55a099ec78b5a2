import "server-only";
import { BOUNDED_STATEMENT_MS } from "@/db/connect";
import { getDb, type Db } from "@/db/client";
import type { EventKind, EventStatus, TriggerEvent } from "@/db/schema";

/** An event row to insert, as plain values; `completed_at` is the database's now() unless it is queued. */
export type EventRow = {
  id: string;
  ownerId: string;
  triggerId: string;
  kind: EventKind;
  status: EventStatus;
  error: string | null;
  errorCode: string | null;
  payload: unknown;
  contentType: string | null;
  headers: Record<string, string> | null;
  sessionKey: string | null;
  contact: { name?: string; email?: string; phone?: string } | null;
  idempotencyKey: string | null;
  cloudEvent: Record<string, unknown> | null;
  /** Held for a batch: its key, and how long it waits at first (the window). */
  batchKey: string | null;
  holdMs: number | null;
  scheduledFor: Date | null;
  replayOf: string | null;
  senderVerified: boolean | null;
};
type Row = EventRow;
/** What the caller needs back: the id, the status it was stored with, and what dispatch keys on. */
export type StoredEvent = Pick<
  TriggerEvent,
  "id" | "status" | "triggerId" | "ownerId" | "sessionKey"
>;
type Waiter = {
  row: Row;
  resolve: (e: StoredEvent | null) => void;
  reject: (e: unknown) => void;
  sent: boolean;
};

const MAX_BATCH = 500;
/** A PostgreSQL insert that has not finished in this time is cancelled by the server itself. */
export const INSERT_TIMEOUT_MS = BOUNDED_STATEMENT_MS;
const g = globalThis as unknown as {
  __eventBatch?: { queue: Waiter[]; scheduled: boolean; sending: boolean };
};
const state = (g.__eventBatch ??= { queue: [], scheduled: false, sending: false });

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
 * resolves with the stored row; a row whose idempotency key another row of
 * its trigger holds (a repeat) resolves null, and the caller finds that row by
 * its key. `signal` withdraws a row not sent yet.
 */
export function insertEventBatched(
  row: Row,
  { signal, onWithdrawn }: WithdrawOptions = {},
): Promise<StoredEvent | null> {
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
    schedule();
  });
}

function schedule() {
  if (state.scheduled || state.sending) return;
  state.scheduled = true;
  setImmediate(flush);
}

/**
 * One insert at a time per process: rows commit in the order they were queued,
 * which is their ids' order, so a claim never sees an event of a session before
 * an earlier one of it (two inserts on two connections may commit either way
 * round). Rows that arrive meanwhile go together in the next insert. An insert
 * that outlives its statement timeout no longer holds the next one back.
 */
async function flush() {
  state.scheduled = false;
  const batch = state.queue.splice(0, MAX_BATCH);
  if (!batch.length) return;
  state.sending = true;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      send(batch),
      new Promise((resolve) => (timer = setTimeout(resolve, INSERT_TIMEOUT_MS + 1000))),
    ]);
  } finally {
    clearTimeout(timer);
    state.sending = false;
    if (state.queue.length) schedule();
  }
}

async function send(batch: Waiter[]) {
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
    for (const w of batch) settle(w, rows.get(w.row.id));
  } catch (error) {
    if (batch.length === 1) return batch[0].reject(error);
    // one by one, in order, so only a bad row fails
    for (const w of batch) {
      try {
        settle(w, (await insertRows(db, [w.row])).get(w.row.id));
      } catch (e) {
        w.reject(e);
      }
    }
  }
}

/** Stored, or a keyed repeat (null); a row without a key is always stored (or found by its id). */
function settle(w: Waiter, stored: StoredEvent | undefined) {
  if (stored) w.resolve(stored);
  else if (w.row.idempotencyKey) w.resolve(null);
  else w.reject(new Error("Event row was not stored"));
}

// One statement for any number of rows: each column is sent as one array and unnested, so the
// statement's text never changes (PostgreSQL prepares it once per connection) and drizzle's query
// builder, 3% of the event endpoint's CPU for a multi-row insert, is not on the path.
const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
const COLUMNS: [name: string, cast: string, value: (r: Row) => unknown][] = [
  ["id", "", (r) => r.id],
  ["owner_id", "", (r) => r.ownerId],
  ["trigger_id", "", (r) => r.triggerId],
  ["kind", "", (r) => r.kind],
  ["status", "", (r) => r.status],
  ["error", "", (r) => r.error],
  ["error_code", "", (r) => r.errorCode],
  ["payload", "::jsonb", (r) => json(r.payload)],
  ["content_type", "", (r) => r.contentType],
  ["headers", "::jsonb", (r) => json(r.headers)],
  ["session_key", "", (r) => r.sessionKey],
  ["contact", "::jsonb", (r) => json(r.contact)],
  ["idempotency_key", "", (r) => r.idempotencyKey],
  ["cloud_event", "::jsonb", (r) => json(r.cloudEvent)],
  ["batch_key", "", (r) => r.batchKey],
  ["scheduled_for", "::timestamptz", (r) => r.scheduledFor?.toISOString() ?? null],
  ["replay_of", "", (r) => r.replayOf],
  [
    "sender_verified",
    "::boolean",
    (r) => (r.senderVerified === null ? null : String(r.senderVerified)),
  ],
];
const RETURNING = `id, status, trigger_id as "triggerId", owner_id as "ownerId", session_key as "sessionKey"`;
const HOLD = COLUMNS.length + 1;
const INSERT = `insert into trigger_events (${COLUMNS.map(([c]) => c).join(", ")}, completed_at, locked_until)
select ${COLUMNS.map(([c, cast]) => `u.${c}${cast}`).join(", ")},
  case when u.status <> 'queued' then now() end,
  case when u.status = 'queued' and u.hold_ms is not null
    then now() + u.hold_ms::int * interval '1 millisecond' end
from unnest(${COLUMNS.map((_, i) => `$${i + 1}::text[]`).join(", ")}, $${HOLD}::text[]) as u(${COLUMNS.map(([c]) => c).join(", ")}, hold_ms)
on conflict do nothing
returning ${RETURNING}`;
const FIND = `select ${RETURNING} from trigger_events where id = any($1::text[])`;

/**
 * The rows, stored (or found stored under the same id; a keyed repeat, found by its key
 * elsewhere, is absent). On PostgreSQL the
 * statement is bounded by the server (statement_timeout), so an insert the
 * endpoint gave up on does not commit minutes later.
 */
async function insertRows(db: Db, rows: Row[]): Promise<Map<string, StoredEvent>> {
  const columns = [
    ...COLUMNS.map(([, , value]) => rows.map(value)),
    rows.map((r) => (r.holdMs === null ? null : String(r.holdMs))),
  ];
  const inserted = await db.$boundedQuery<StoredEvent>(INSERT, columns);
  const out = new Map(inserted.map((r) => [r.id, r]));
  const missing = rows.filter((r) => !out.has(r.id)).map((r) => r.id);
  if (missing.length) {
    for (const r of await db.$boundedQuery<StoredEvent>(FIND, [missing])) out.set(r.id, r);
  }
  return out;
}
