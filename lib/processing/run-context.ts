import "server-only";
import { eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { bots, triggers, type Bot, type Trigger } from "@/db/schema";

/** What a run reads before it starts: its trigger and the trigger's bot (null if deleted). */
export type RunContext = { trigger: Trigger; bot: Bot | null };

/**
 * How long a context read with a claim may stand in for the run's own read: the runner reads
 * the triggers of every event a claim brought in one query, and an event that waited longer
 * than this in its buffer reads its trigger again (so a change reaches it as it would reach a
 * run already going).
 */
export const RUN_CONTEXT_FRESH_MS = 1000;

/** The run contexts of these triggers, in one query; a deleted trigger is absent. */
export async function loadRunContexts(
  db: Db,
  triggerIds: string[],
): Promise<Map<string, RunContext>> {
  const ids = [...new Set(triggerIds)];
  if (!ids.length) return new Map();
  const rows = await db
    .select({ trigger: triggers, bot: bots })
    .from(triggers)
    .leftJoin(bots, eq(bots.id, triggers.botId))
    .where(ids.length === 1 ? eq(triggers.id, ids[0]) : inArray(triggers.id, ids));
  return new Map(rows.map((r) => [r.trigger.id, r]));
}
