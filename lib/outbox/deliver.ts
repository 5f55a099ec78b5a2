import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getDb, rowsOf, type Db } from "@/db/client";
import {
  notificationEndpoints,
  outbox,
  triggerEvents,
  triggers,
  type OutboxRow,
} from "@/db/schema";
import { safeFetch } from "@/lib/abilities/safe-fetch";
import { recordActivity } from "@/lib/conversations/activity";
import { storableText } from "@/lib/core/body";
import { env } from "@/lib/core/env";
import { errorField, log } from "@/lib/observability/log";
import { notificationRequest, replyRequest, Undeliverable, type Outgoing } from "./targets";

// Delivers what the outbox holds: claimed with a lease (FOR UPDATE SKIP LOCKED, so servers never
// send one row together), sent through the safe outbound client, retried with back-off on network
// errors, 429 and 5xx (a Retry-After is honoured), until it goes through or its horizon passes.
// A reply's outcome is recorded in its conversation; an endpoint that has failed every delivery
// for 24 hours is turned off and says why.

/** Seconds before the next attempt, by attempts made so far; the last one repeats. */
const BACKOFF_S = [1, 4, 15, 60, 300, 900, 3600, 7200, 14_400, 28_800];
/** How long a row keeps being retried after it was written. */
const HORIZON_MS = { reply: 3_600_000, notification: 24 * 3_600_000 } as const;
/** An endpoint failing for this long is turned off. */
export const DISABLE_AFTER_MS = 24 * 3_600_000;
const LEASE_MS = 60_000;
const TIMEOUT_MS = 10_000;
/** One delivery, every redirect hop included (each has TIMEOUT_MS), ends within this. */
const DELIVERY_DEADLINE_MS = 30_000;
const MAX_ANSWER_BYTES = 4096;

/** Rows one owner may have in one claim, and in flight in this process. */
const PER_OWNER = 5;

/**
 * This process's deliveries: rows in flight by owner, which every pass counts (on Inngest two can
 * run side by side), and the claims, made one at a time so each counts what the last one took.
 */
const g = globalThis as unknown as {
  __outbox?: { inFlight: Map<string, number>; claims: Promise<unknown> };
};
const processOutbox = () => (g.__outbox ??= { inFlight: new Map(), claims: Promise.resolve() });

/** Claims as claimDue does, after this process's other claims, and counts the rows in flight. */
function claimCounted(db: Db, limit: number): Promise<OutboxRow[]> {
  const state = processOutbox();
  const claim = state.claims.then(async () => {
    const rows = await claimDue(db, limit, state.inFlight);
    for (const row of rows)
      state.inFlight.set(row.ownerId, (state.inFlight.get(row.ownerId) ?? 0) + 1);
    return rows;
  });
  state.claims = claim.catch(() => undefined);
  return claim;
}

/**
 * Claims up to `limit` due rows, each owner's oldest due first and the owners taken in turn: an
 * owner gets at most PER_OWNER less what it has `inFlight` already, so one owner's backlog of
 * slow deliveries cannot hold up another's replies. Owners are walked with a skip scan of the
 * pending index, so the cost follows the number of owners with pending rows. Each attempt counts
 * as it starts.
 */
async function claimDue(
  db: Db,
  limit: number,
  inFlight: ReadonlyMap<string, number> = new Map(),
): Promise<OutboxRow[]> {
  const busy = inFlight.size
    ? sql`coalesce((select f.n from (values ${sql.join(
        [...inFlight].map(([owner, n]) => sql`(${owner}::text, ${n}::int)`),
        sql`, `,
      )}) as f(owner_id, n) where f.owner_id = o.owner_id), 0)`
    : sql`0`;
  return db.transaction(async (tx) => {
    const due = rowsOf<{ id: string }>(
      await tx.execute(sql`
        with recursive owners as (
          (select owner_id from outbox where status = 'pending' order by owner_id limit 1)
          union all
          select (select t.owner_id from outbox t
                  where t.status = 'pending' and t.owner_id > o.owner_id
                  order by t.owner_id limit 1)
          from owners o where o.owner_id is not null
        ), candidates as (
          select c.id, c.next_attempt_at, c.turn from owners o cross join lateral (
            select t.id, t.next_attempt_at, row_number() over (order by t.next_attempt_at) as turn
            from outbox t
            where t.owner_id = o.owner_id and t.status = 'pending' and t.next_attempt_at <= now()
              and (t.locked_until is null or t.locked_until <= now())
            order by t.next_attempt_at limit ${PER_OWNER}
          ) c where o.owner_id is not null and c.turn <= ${PER_OWNER} - ${busy}
        )
        select r.id from outbox r join candidates c on c.id = r.id
        where r.status = 'pending' and (r.locked_until is null or r.locked_until <= now())
        order by c.turn, c.next_attempt_at limit ${limit}
        for update of r skip locked`),
    );
    if (!due.length) return [];
    return tx
      .update(outbox)
      .set({
        attempts: sql`${outbox.attempts} + 1`,
        lockedUntil: sql`now() + ${LEASE_MS} * interval '1 millisecond'`,
      })
      .where(
        sql`${outbox.id} in (${sql.join(
          due.map((d) => sql`${d.id}`),
          sql`, `,
        )})`,
      )
      .returning();
  });
}

/** How often a pass with deliveries in flight looks again for rows that came due meanwhile. */
const RECHECK_MS = 1000;

/**
 * Delivers what is due, up to `slots` at a time, each settled on its own: a slot that frees
 * claims again, so a slow receiver holds one slot, not a batch, and rows that come due while
 * deliveries are in flight are looked for every second. An owner has at most PER_OWNER rows in
 * flight in this process, whatever passes run side by side. Ends when nothing is due or in flight
 * (or `maxRows` were tried); returns how many rows it tried.
 */
export async function deliverDue(slots = 20, maxRows = slots * 10): Promise<number> {
  const db = await getDb();
  const { inFlight } = processOutbox();
  const running = new Set<Promise<void>>();
  let tried = 0;
  let idle = false; // the last claim found nothing, and nothing has changed since
  for (;;) {
    const free = Math.min(slots - running.size, maxRows - tried);
    if (!idle && free > 0) {
      let rows: OutboxRow[];
      try {
        rows = await claimCounted(db, free);
      } catch (error) {
        // the pass ends with its deliveries, not before them
        await Promise.allSettled(running);
        throw error;
      }
      idle = rows.length === 0;
      tried += rows.length;
      for (const row of rows) {
        const job: Promise<void> = deliver(db, row).finally(() => {
          running.delete(job);
          const left = (inFlight.get(row.ownerId) ?? 1) - 1;
          if (left) inFlight.set(row.ownerId, left);
          else inFlight.delete(row.ownerId);
        });
        running.add(job);
      }
      if (!idle && running.size < slots && tried < maxRows) continue;
    }
    if (!running.size) return tried;
    // a delivery ends (its owner may take a slot again), or a second passes
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      ...running,
      new Promise((resolve) => (timer = setTimeout(resolve, RECHECK_MS))),
    ]);
    clearTimeout(timer);
    idle = false;
  }
}

type Outcome =
  | { ok: true; status: number }
  | { ok: false; status: number | null; error: string; retry: boolean; retryAfterMs?: number };

async function deliver(db: Db, row: OutboxRow) {
  let outcome: Outcome;
  try {
    outcome = await send(await requestFor(db, row));
  } catch (error) {
    outcome =
      error instanceof Undeliverable
        ? { ok: false, status: null, error: error.message, retry: false }
        : { ok: false, status: null, error: errorMessage(error), retry: true };
  }
  // the receiver's words are kept: a NUL in them must not make the row unrecordable
  if (!outcome.ok) outcome.error = storableText(outcome.error);
  try {
    await settle(db, row, outcome);
  } catch (error) {
    log().error({ outbox: row.id, error: errorField(error) }, "could not record a delivery");
  }
}

async function requestFor(db: Db, row: OutboxRow): Promise<Outgoing> {
  if (row.kind === "notification") {
    const [endpoint] = await db
      .select()
      .from(notificationEndpoints)
      .where(eq(notificationEndpoints.id, row.endpointId ?? ""));
    if (!endpoint) throw new Undeliverable("The endpoint was deleted");
    return notificationRequest(row, endpoint);
  }
  const [trigger] = await db
    .select({
      reply: triggers.reply,
      replySecretsEnc: triggers.replySecretsEnc,
      authenticate: triggers.authenticate,
    })
    .from(triggers)
    .where(eq(triggers.id, row.triggerId ?? ""));
  if (!trigger) throw new Undeliverable("The trigger was deleted");
  const [event] = await db
    .select({ payload: triggerEvents.payload, senderVerified: triggerEvents.senderVerified })
    .from(triggerEvents)
    .where(eq(triggerEvents.id, row.eventId ?? ""));
  if (!event) throw new Undeliverable("The event was deleted before its reply was sent");
  // an event stored before this was kept: the trigger's setting now
  return replyRequest(row, trigger, event.payload, event.senderVerified ?? trigger.authenticate);
}

async function send(out: Outgoing): Promise<Outcome> {
  const res = await safeFetch(out.url, {
    method: "POST",
    headers: out.headers,
    privateHeaders: out.privateHeaders,
    body: out.body,
    timeoutMs: TIMEOUT_MS,
    // redirects included, a delivery ends well inside its lease: another pass never sends it too
    signal: AbortSignal.timeout(DELIVERY_DEADLINE_MS),
    maxResponseBytes: MAX_ANSWER_BYTES,
    allowHosts: env().ABILITY_HTTP_ALLOW_HOSTS,
  });
  if (res.status >= 200 && res.status < 300) {
    const problem = out.check?.(res.body);
    return problem
      ? { ok: false, status: res.status, ...problem }
      : { ok: true, status: res.status };
  }
  const retry = res.status === 429 || res.status >= 500;
  const after = Number(res.headers["retry-after"]);
  return {
    ok: false,
    status: res.status,
    error: `HTTP ${res.status}${res.body ? `: ${res.body.slice(0, 200)}` : ""}`,
    retry,
    ...(Number.isFinite(after) && after > 0 && { retryAfterMs: Math.min(after, 3600) * 1000 }),
  };
}

const errorMessage = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 300);

/** Records the attempt: delivered, another attempt later, or failed for good. */
async function settle(db: Db, row: OutboxRow, outcome: Outcome) {
  const fence = and(eq(outbox.id, row.id), eq(outbox.attempts, row.attempts));
  const horizon = row.createdAt.getTime() + HORIZON_MS[row.kind];
  if (outcome.ok) {
    await db
      .update(outbox)
      .set({
        status: "delivered",
        deliveredAt: sql`now()`,
        lockedUntil: null,
        lastStatus: outcome.status,
        lastError: null,
      })
      .where(fence);
  } else {
    const delayMs = Math.max(
      BACKOFF_S[Math.min(row.attempts - 1, BACKOFF_S.length - 1)] * 1000,
      outcome.retryAfterMs ?? 0,
    );
    const again = outcome.retry && Date.now() + delayMs < horizon;
    await db
      .update(outbox)
      .set({
        status: again ? "pending" : "failed",
        nextAttemptAt: again ? sql`now() + ${delayMs} * interval '1 millisecond'` : undefined,
        lockedUntil: null,
        lastStatus: outcome.status,
        lastError: outcome.error,
      })
      .where(fence);
    if (again) {
      // an endpoint's failing time counts from its first failed attempt, retried or not
      if (row.kind === "notification") await noteEndpoint(db, row, outcome);
      return;
    }
  }
  if (row.kind === "reply") await noteReply(db, row, outcome);
  else await noteEndpoint(db, row, outcome);
}

const TARGET_NAMES: Record<string, string> = {
  slack: "Slack",
  github: "GitHub",
  callback: "the callback",
};

/** The reply's fate, in its conversation. */
async function noteReply(db: Db, row: OutboxRow, outcome: Outcome) {
  if (!row.conversationId) return;
  const where = TARGET_NAMES[row.type] ?? row.type;
  await recordActivity(db, {
    ownerId: row.ownerId,
    conversationId: row.conversationId,
    eventId: row.eventId,
    text: outcome.ok
      ? `Reply delivered to ${where} (HTTP ${outcome.status})`
      : `Reply to ${where} failed after ${row.attempts} attempt${row.attempts === 1 ? "" : "s"}: ${outcome.error}`,
    meta: {
      step: "delivery",
      target: row.type,
      delivered: outcome.ok,
      status: outcome.status,
      attempts: row.attempts,
      ...(!outcome.ok && { error: outcome.error }),
    },
  });
}

/** An endpoint that keeps failing is turned off after DISABLE_AFTER_MS, with the reason. */
async function noteEndpoint(db: Db, row: OutboxRow, outcome: Outcome) {
  if (!row.endpointId) return;
  if (outcome.ok) {
    await db
      .update(notificationEndpoints)
      .set({ failingSince: null })
      .where(eq(notificationEndpoints.id, row.endpointId));
    return;
  }
  await db
    .update(notificationEndpoints)
    .set({
      failingSince: sql`coalesce(${notificationEndpoints.failingSince}, now())`,
      enabled: sql`not coalesce(${notificationEndpoints.failingSince} < now() - ${DISABLE_AFTER_MS} * interval '1 millisecond', false)`,
      disabledReason: sql`case when ${notificationEndpoints.failingSince} < now() - ${DISABLE_AFTER_MS} * interval '1 millisecond'
        then ${`Every delivery failed for 24 hours (last: ${outcome.error})`} else ${notificationEndpoints.disabledReason} end`,
    })
    .where(
      and(eq(notificationEndpoints.id, row.endpointId), eq(notificationEndpoints.enabled, true)),
    );
}

/** When the next pending row is due (null: none pending), on the database's clock. */
export async function nextDue(): Promise<string | null> {
  const db = await getDb();
  const [row] = await db
    .select({ at: sql<Date | string>`min(${outbox.nextAttemptAt})` })
    .from(outbox)
    .where(eq(outbox.status, "pending"));
  return row?.at ? new Date(row.at).toISOString() : null;
}

/**
 * The inline delivery loop: woken after something is written (dispatchOutbox), and every second
 * for retries that came due. One pass at a time per process.
 */
export function outboxWorker() {
  const g = globalThis as unknown as { __outboxWorker?: { wake: () => void } };
  if (g.__outboxWorker) return g.__outboxWorker;
  let running = false;
  let again = false;
  const pass = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        // one long pass: a slot that frees is filled at once, with no barrier every few rows
        while ((await deliverDue(20, Infinity)) > 0);
      } while (again);
    } catch (error) {
      log().warn({ error: errorField(error) }, "outbox delivery failed");
    } finally {
      running = false;
    }
  };
  g.__outboxWorker = { wake: () => void pass() };
  setInterval(() => void pass(), 1000).unref();
  return g.__outboxWorker;
}
