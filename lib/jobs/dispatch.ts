import "server-only";
import { errorField, log } from "@/lib/observability/log";
import { inArray, sql } from "drizzle-orm";
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
    // no runner in this process (INLINE_RUNNER=false, a CLI): another one claims them by polling
    g.__wakeRunner?.(events.map((e) => e.ownerId));
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
