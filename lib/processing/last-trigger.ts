import "server-only";
import { errorField, log } from "@/lib/observability/log";
import { eq, sql } from "drizzle-orm";
import { getRunDb } from "@/db/client";
import { triggers } from "@/db/schema";
import { tsParam } from "@/db/sql-values";

// lastTriggerAt is written at most once a second per trigger, not once per
// event: under load every completion updating the one trigger row would
// serialise them all on that row's lock.
const g = globalThis as unknown as {
  __lastTrigger?: Map<string, Date>;
  __lastTriggerFlush?: NodeJS.Timeout;
};
const pending = (g.__lastTrigger ??= new Map());

export function touchTrigger(triggerId: string, at: Date) {
  const seen = pending.get(triggerId);
  if (!seen || seen < at) pending.set(triggerId, at);
  if (!g.__lastTriggerFlush) {
    g.__lastTriggerFlush = setTimeout(() => void flushLastTrigger(), 1000);
    g.__lastTriggerFlush.unref();
  }
}

export async function flushLastTrigger() {
  g.__lastTriggerFlush = undefined;
  const entries = [...pending.entries()];
  pending.clear();
  if (!entries.length) return;
  try {
    const db = await getRunDb();
    for (const [id, at] of entries) {
      await db
        .update(triggers)
        .set({ lastTriggerAt: sql`greatest(${triggers.lastTriggerAt}, ${tsParam(at)})` })
        .where(eq(triggers.id, id));
    }
  } catch (error) {
    log().warn({ error: errorField(error) }, "could not record lastTriggerAt");
  }
}
