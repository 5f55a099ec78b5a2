import "server-only";
import { errorField, log } from "@/lib/observability/log";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { triggerEvents, type TriggerEvent } from "@/db/schema";
import { EVENT_RECEIVED, inngest, OUTBOX_READY } from "@/inngest/client";
import { usesInngest } from "@/lib/core/env";

// Producers (ingest, invoke, replay, the schedule tick, the sweep) hand stored events to the job
// engine through dispatchEvents, and only through it. It knows Inngest and a waker: the inline
// runner registers itself here when it starts (lib/server/start.ts), so dispatch never imports the
// processing it leads to.

const g = globalThis as unknown as {
  __wakeRunner?: (owners: string[]) => void;
  __wakeOutbox?: () => void;
};

/** The inline runner's wake-up, registered when it starts (one per process). */
export function registerRunner(wake: (owners: string[]) => void) {
  g.__wakeRunner = wake;
}

/** The outbox delivery's wake-up, registered with the runner (lib/server/start.ts). */
export function registerOutbox(wake: () => void) {
  g.__wakeOutbox = wake;
}

/**
 * Something was written to the outbox: the inline delivery is woken, or Inngest told. Never
 * throws: a row nobody was told about is found by the next sweep (every second inline, every
 * minute in Inngest mode).
 */
export async function dispatchOutbox(): Promise<void> {
  if (!usesInngest()) {
    g.__wakeOutbox?.();
    return;
  }
  try {
    await inngest.send({ name: OUTBOX_READY, data: {} });
  } catch (error) {
    log().warn(
      { error: errorField(error) },
      "could not tell Inngest about the outbox; the tick sweeps it",
    );
  }
}

/** The channel on which a server without a runner wakes the other servers' runners (PostgreSQL). */
export const RUNNER_CHANNEL = "trigger_dashboard_events";
/** At most one NOTIFY per this many ms: under load the runners are busy and need no waking. */
const NOTIFY_EVERY_MS = 100;
const notifying = { last: 0, timer: null as ReturnType<typeof setTimeout> | null };

/** A NOTIFY on RUNNER_CHANNEL soon (at most one per NOTIFY_EVERY_MS); never throws. */
function notifyRunners() {
  if (notifying.timer) return;
  const wait = Math.max(0, notifying.last + NOTIFY_EVERY_MS - Date.now());
  notifying.timer = setTimeout(async () => {
    // cleared first: events stored while this NOTIFY is on its way get one of their own
    notifying.timer = null;
    notifying.last = Date.now();
    try {
      const db = await getDb();
      if (db.$dialect === "postgres")
        await db.execute(sql`select pg_notify(${RUNNER_CHANNEL}, '')`);
    } catch (error) {
      log().warn(
        { error: errorField(error) },
        "could not wake the other servers' runners; they find the events within a second",
      );
    }
  }, wait);
  notifying.timer.unref?.();
}

type Dispatchable = Pick<TriggerEvent, "id" | "triggerId" | "ownerId" | "sessionKey">;

/** One conversation at a time: Inngest runs one event per key, in order. */
export const concurrencyKey = (e: Dispatchable) => `${e.triggerId}:${e.sessionKey ?? e.id}`;

/**
 * Hands stored events to the job engine: Inngest when configured, else the
 * inline runner. Never throws: a failed send leaves the events `queued` with
 * no dispatchedAt, and the schedule tick's sweep sends them again.
 */
export async function dispatchEvents(events: Dispatchable[]): Promise<void> {
  if (!events.length) return;
  if (!usesInngest()) {
    if (g.__wakeRunner) g.__wakeRunner(events.map((e) => e.ownerId));
    // no runner in this process (INLINE_RUNNER=false, a CLI): the runners of the other servers
    // on the same PostgreSQL are told; should that fail, they find the events by polling
    else notifyRunners();
    return;
  }
  try {
    await inngest.send(
      events.map((e) => ({
        name: EVENT_RECEIVED,
        data: {
          eventId: e.id,
          triggerId: e.triggerId,
          ownerId: e.ownerId,
          concurrencyKey: concurrencyKey(e),
        },
      })),
    );
    const db = await getDb();
    await db
      .update(triggerEvents)
      .set({ dispatchedAt: sql`now()` })
      .where(
        inArray(
          triggerEvents.id,
          events.map((e) => e.id),
        ),
      );
  } catch (error) {
    log().warn(
      { events: events.length, error: errorField(error) },
      "could not send events to Inngest; they stay queued and will be re-sent",
    );
  }
}

/** An event sent this long ago may still have its Inngest run retrying: not sent again yet. */
const RESEND_AFTER_MS = 30_000;

/**
 * Inngest mode: an event of a session left a state that held its session (it completed, failed,
 * was cancelled). The next queued event of the session may have waited behind it longer than
 * Inngest's retries last (an approval can take hours; a blocked run throws to be retried, and is
 * then given up on, the event staying `queued` for the sweep's pass every 5 minutes): it is sent
 * again now. One sent in the last 30 s still has its run retrying, and is left to it. Never throws.
 */
export async function dispatchSessionNext(
  event: Pick<TriggerEvent, "id" | "triggerId" | "sessionKey">,
): Promise<void> {
  if (!event.sessionKey || !usesInngest()) return;
  try {
    const db = await getDb();
    const next = await db
      .select({
        id: triggerEvents.id,
        triggerId: triggerEvents.triggerId,
        ownerId: triggerEvents.ownerId,
        sessionKey: triggerEvents.sessionKey,
        // on the database's clock, as dispatchedAt was written
        sentLately: sql<boolean>`coalesce(${triggerEvents.dispatchedAt} > now() - make_interval(secs => ${RESEND_AFTER_MS / 1000}), false)`,
      })
      .from(triggerEvents)
      .where(
        and(
          eq(triggerEvents.triggerId, event.triggerId),
          eq(triggerEvents.sessionKey, event.sessionKey),
          eq(triggerEvents.status, "queued"),
        ),
      )
      .orderBy(asc(triggerEvents.id))
      .limit(1);
    const [head] = next;
    if (head && head.id !== event.id && !head.sentLately) await dispatchEvents([head]);
  } catch (error) {
    log().warn(
      { event: event.id, error: errorField(error) },
      "could not send the next event of its session; the sweep sends it within 5 minutes",
    );
  }
}
