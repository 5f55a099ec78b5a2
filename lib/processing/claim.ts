import "server-only";
import { and, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import { getDb, getRunDb, rowsOf, type Db } from "@/db/client";
import { triggerEvents as e, type TriggerEvent } from "@/db/schema";
import { env } from "@/lib/core/env";
import { finishMembers, gatherBatch } from "./batch-members";

/** Attempts per event, the one retry budget (the Inngest function's `retries` derives from it). */
export const MAX_ATTEMPTS = 3;

/** How long a claim lasts unless renewed; a stopped server's events are taken over after it. */
export const leaseMs = () => env().EVENT_LEASE_MS;

// Every lease is written and compared on the database's clock (now()), never an
// app server's: servers whose clocks disagree still agree on who holds an event.
const leaseUntil = () => sql`now() + ${leaseMs()} * interval '1 millisecond'`;

/**
 * Runnable: queued with its back-off over, or processing under a lease that ran out with
 * attempts left (one without is a poison event: failPoisoned ends it, never a claim).
 */
const runnable = sql`(
  (${e.status} = 'queued' and (${e.lockedUntil} is null or ${e.lockedUntil} <= now()))
  or (${e.status} = 'processing' and ${e.lockedUntil} <= now() and ${e.attempts} < ${MAX_ATTEMPTS}))`;

/** A paused trigger's events are stored and held: none is claimed until it is resumed. */
const triggerRuns = sql`not exists (
  select 1 from triggers tr where tr.id = ${e.triggerId} and tr.paused_at is not null)`;

/**
 * An event waits while another event of its session is pending before it (or
 * runs under a live claim): one at a time, in order. An earlier event whose
 * claim ran out is still pending: it is re-run first, never beside a later one.
 */
const sessionFree = sql`not exists (
  select 1 from trigger_events p
  where p.trigger_id = ${e.triggerId} and p.session_key = ${e.sessionKey} and p.id <> ${e.id}
    and p.status in ('queued', 'processing')
    and (p.id < ${e.id} or (p.status = 'processing' and p.locked_until > now())))`;

const claimSet = () => ({
  status: "processing" as const,
  attempts: sql`${e.attempts} + 1`,
  lockedUntil: leaseUntil(),
  startedAt: sql`coalesce(${e.startedAt}, now())`,
});

const POISON_CHECK_MS = 1000;
const g = globalThis as unknown as { __poisonCheckedAt: number };
g.__poisonCheckedAt ??= 0;

/**
 * Claims up to `limit` runnable events, FOR UPDATE SKIP LOCKED so servers
 * sharing a database never take the same one. Owners are served round-robin
 * (at most `perOwner` each), so one tenant's backlog cannot fill the runner.
 * An event whose runs keep dying with the process (a poison event) is not
 * claimed again once it used up its attempts: it ends `failed` and is returned
 * in `poisoned` so its conversation can say so.
 */
export async function claimBatch(
  limit: number,
  perOwner = limit,
  skip: { owners?: string[]; ids?: string[] } = {},
): Promise<{ claimed: TriggerEvent[]; poisoned: TriggerEvent[] }> {
  const db = await getRunDb();
  // poison events are never claimed (runnable), so looking for them once a second is enough
  const poisoned =
    Date.now() - g.__poisonCheckedAt >= POISON_CHECK_MS ? await failPoisoned(db) : [];
  const candidates = (
    await fairCandidates(db, limit + (skip.ids?.length ?? 0), perOwner, skip.owners ?? [])
  )
    .filter((id) => !skip.ids?.includes(id))
    .slice(0, limit);
  if (!candidates.length) return { claimed: [], poisoned };
  const claimed = await db.transaction(async (tx) => {
    const locked = await tx
      .select({ id: e.id, triggerId: e.triggerId, batchKey: e.batchKey, attempts: e.attempts })
      .from(e)
      .where(and(inArray(e.id, candidates), runnable, sessionFree, triggerRuns))
      .orderBy(e.id)
      .for("update", { skipLocked: true });
    // one run per batch: the oldest event of a key leads, the others join it (gatherBatch)
    const leads = new Set<string>();
    const ids = locked.filter((r) => {
      if (!r.batchKey || r.attempts > 0) return true;
      const group = `${r.triggerId}\u0000${r.batchKey}`;
      if (leads.has(group)) return false;
      leads.add(group);
      return true;
    });
    if (!ids.length) return [];
    const rows = await tx
      .update(e)
      .set(claimSet())
      .where(
        inArray(
          e.id,
          ids.map((r) => r.id),
        ),
      )
      .returning();
    // an event held for a batch takes the other events of its key into its run
    for (const row of rows) await gatherBatch(tx, row);
    return rows;
  });
  const order = new Map(candidates.map((id, i) => [id, i]));
  return { claimed: claimed.sort((a, b) => order.get(a.id)! - order.get(b.id)!), poisoned };
}

/**
 * How many session heads of an owner (its oldest pending events that are first
 * in their session) a claim looks at; the rest wait their turn. They are found
 * among the owner's oldest SCAN_ROWS_PER_OWNER pending events, so a claim's
 * cost stays bounded: one session's backlog longer than that still holds the
 * owner's later sessions back until it is shorter.
 */
const SCAN_PER_OWNER = 100;
const SCAN_ROWS_PER_OWNER = 5000;

/**
 * Up to `perOwner` runnable event ids of each owner with pending events,
 * interleaved round-robin. Owners are walked with a skip scan of the pending
 * index, so the cost follows the number of owners and, within an owner, at
 * most SCAN_ROWS_PER_OWNER events (each with a session probed once in the
 * session index), whatever the backlog; only each session's head is a
 * candidate. The claim itself checks the full conditions again under the row
 * locks.
 */
async function fairCandidates(
  db: Db,
  limit: number,
  perOwner: number,
  skipOwners: string[],
): Promise<string[]> {
  const skip = skipOwners.length
    ? sql`and ${e.ownerId} not in (${sql.join(
        skipOwners.map((o) => sql`${o}`),
        sql`, `,
      )})`
    : sql``;
  const result = await db.execute(sql`
    with recursive owners as (
      (select owner_id from trigger_events where status in ('queued', 'processing') order by owner_id limit 1)
      union all
      select (select t.owner_id from trigger_events t
              where t.status in ('queued', 'processing') and t.owner_id > o.owner_id
              order by t.owner_id limit 1)
      from owners o where o.owner_id is not null
    )
    select c.id, c.owner_id from owners o cross join lateral (
      -- the head of each session (its earliest pending event) is the only one that may run;
      -- an event without a session is its own head
      select heads.id, heads.owner_id from (
        select distinct on (${e.triggerId}, coalesce(${e.sessionKey}, ${e.id})) ${e.id} as id,
          ${e.ownerId} as owner_id, ${e.status} as status, ${e.lockedUntil} as locked_until,
          ${e.attempts} as attempts
        from (select * from (select * from trigger_events t
              where t.owner_id = o.owner_id and t.status in ('queued', 'processing')
                -- events held for a batch window are not looked at until it ends: a long window
                -- must not keep the owner's other events out of the scan
                and not (t.batch_key is not null and t.attempts = 0 and t.locked_until > now())
                -- a paused trigger's events wait for its resume without taking the owner's turn
                and not exists (select 1 from triggers tr where tr.id = t.trigger_id and tr.paused_at is not null)
              order by t.id limit ${SCAN_ROWS_PER_OWNER}) as w
              -- only a session's head is looked at: a long backlog of one session (which runs
              -- one event at a time) must not fill the window and keep the owner's other
              -- sessions waiting (one probe of the session index per event that has a session)
              where w.session_key is null or not exists (
                select 1 from trigger_events p
                where p.trigger_id = w.trigger_id and p.session_key = w.session_key
                  and p.status in ('queued', 'processing') and p.id < w.id)
              order by w.id limit ${SCAN_PER_OWNER}) as ${e}
        where true ${skip}
        order by ${e.triggerId}, coalesce(${e.sessionKey}, ${e.id}), ${e.id}
      ) heads
      where (heads.status = 'queued' and (heads.locked_until is null or heads.locked_until <= now()))
         or (heads.status = 'processing' and heads.locked_until <= now()
             and heads.attempts < ${MAX_ATTEMPTS})
      order by heads.id limit ${perOwner}
    ) c where o.owner_id is not null`);
  const rows = rowsOf<{ id: string; owner_id: string }>(result);
  const byOwner = new Map<string, string[]>();
  for (const r of rows) byOwner.set(r.owner_id, [...(byOwner.get(r.owner_id) ?? []), r.id]);
  // oldest first within each round, so a single owner's events keep their order
  const queues = [...byOwner.values()].sort((a, b) => a[0].localeCompare(b[0]));
  const out: string[] = [];
  for (let round = 0; out.length < limit && queues.some((q) => q.length > round); round++)
    for (const q of queues) if (q[round] && out.length < limit) out.push(q[round]);
  return out;
}

/** Processing events whose lease ran out after their last allowed attempt: failed, never re-run. */
export async function failPoisoned(db: Db, where?: SQL): Promise<TriggerEvent[]> {
  if (!where) g.__poisonCheckedAt = Date.now();
  const poisoned = await db
    .update(e)
    .set({
      status: "failed",
      error: sql`'gave up after ' || ${e.attempts} || ' attempts: the process running it stopped each time'`,
      lockedUntil: null,
      completedAt: sql`now()`,
    })
    .where(
      and(
        eq(e.status, "processing"),
        sql`${e.lockedUntil} <= now()`,
        sql`${e.attempts} >= ${MAX_ATTEMPTS}`,
        where,
      ),
    )
    .returning();
  for (const p of poisoned)
    if (p.batchId === p.id) await finishMembers(db, p.id, "failed", p.error);
  return poisoned;
}

/**
 * Claims one event by id (the Inngest path, where Inngest decides when it
 * runs). Null when it is not runnable: finished, held by a live claim, behind
 * an earlier event of its session, or a poison event (then failed here and
 * returned as `poisoned`).
 */
export async function claimEvent(
  id: string,
): Promise<{ event: TriggerEvent | null; poisoned: TriggerEvent | null }> {
  const db = await getRunDb();
  const [poisoned] = await failPoisoned(db, eq(e.id, id));
  if (poisoned) return { event: null, poisoned };
  const row = await db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(e)
      .set(claimSet())
      // in its session's order, as the inline claim: Inngest's concurrency key counts running
      // steps only, so a later event could run while an earlier one waits out its back-off
      .where(and(eq(e.id, id), runnable, triggerRuns, sessionFree))
      .returning();
    if (claimed) await gatherBatch(tx, claimed);
    return claimed;
  });
  return { event: row ?? null, poisoned: null };
}

export type LeaseState = "held" | "lost" | "cancelled";

/**
 * Extends a claim (while a run is going, or before starting an event that
 * waited in a runner's buffer). "lost": the claim is no longer this holder's
 * (taken over after the lease ended, or finished by someone else);
 * "cancelled": the event was cancelled while it ran.
 */
export async function renewLease(
  event: Pick<TriggerEvent, "id" | "attempts">,
): Promise<LeaseState> {
  const db = await getDb();
  const rows = await db
    .update(e)
    .set({ lockedUntil: leaseUntil() })
    .where(and(eq(e.id, event.id), eq(e.attempts, event.attempts), eq(e.status, "processing")))
    .returning({ id: e.id });
  if (rows.length) return "held";
  const [row] = await db.select({ status: e.status }).from(e).where(eq(e.id, event.id));
  return row?.status === "cancelled" ? "cancelled" : "lost";
}

/** Renews the claims on events waiting in a runner's buffer; returns the ids still held. */
export async function renewLeases(
  events: Pick<TriggerEvent, "id" | "attempts">[],
): Promise<Set<string>> {
  if (!events.length) return new Set();
  const db = await getDb();
  const held = await db
    .update(e)
    .set({ lockedUntil: leaseUntil() })
    .where(
      and(
        eq(e.status, "processing"),
        or(...events.map((ev) => and(eq(e.id, ev.id), eq(e.attempts, ev.attempts)))),
      ),
    )
    .returning({ id: e.id });
  return new Set(held.map((r) => r.id));
}

/**
 * Gives a claimed event back without charging the attempt (a server shutting
 * down): queued and runnable at once, for this or any other server.
 */
export async function handBack(events: Pick<TriggerEvent, "id" | "attempts">[]): Promise<number> {
  if (!events.length) return 0;
  const db = await getDb();
  let n = 0;
  for (const event of events) {
    const rows = await db
      .update(e)
      .set({
        status: "queued",
        attempts: sql`greatest(${e.attempts} - 1, 0)`,
        lockedUntil: null,
      })
      .where(and(eq(e.id, event.id), eq(e.attempts, event.attempts), eq(e.status, "processing")))
      .returning({ id: e.id });
    n += rows.length;
  }
  return n;
}
