import "server-only";
import { errorField, log } from "@/lib/observability/log";
import { inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { triggerEvents, type TriggerEvent } from "@/db/schema";
import { EVENT_RECEIVED, inngest } from "@/inngest/client";
import { usesInngest } from "@/lib/env";
import { inlineRunner } from "./inline-runner";

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
    inlineRunner().wake();
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
