import "server-only";
import { and, desc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { triggerEvents } from "@/db/schema";
import { compileFilter, runFilter } from "@/lib/events/filter";
import { sessionLabel } from "@/lib/events/session-key";
import { getTriggerOrThrow } from "@/db/owned";

const PREVIEW_EVENTS = 20;

/** The query a stored event arrived with, as far as it is kept (its session and contact). */
function queryOf(e: { sessionKey: string | null; contact: Record<string, string> | null }) {
  const q: Record<string, string> = {};
  if (e.sessionKey?.startsWith("session:")) q.session = sessionLabel(e.sessionKey)!;
  for (const [k, v] of Object.entries(e.contact ?? {})) if (v) q[`contact.${k}`] = v;
  return q;
}

/** How a filter would decide on the trigger's last 20 events: "matches 7 of 20" as you type. */
export async function previewFilter({
  ownerId,
  id,
  filter,
}: {
  ownerId: string;
  id: string;
  filter: string;
}) {
  await getTriggerOrThrow({ ownerId, id });
  const compiled = compileFilter(filter);
  if (!compiled.ok) return { valid: false as const, problem: compiled.problem };
  const db = await getDb();
  const rows = await db
    .select()
    .from(triggerEvents)
    .where(and(eq(triggerEvents.triggerId, id), eq(triggerEvents.kind, "event")))
    .orderBy(desc(triggerEvents.id))
    .limit(PREVIEW_EVENTS);
  const events = [];
  for (const e of rows)
    events.push({
      id: e.id,
      ...(await runFilter(
        filter,
        {
          payload: e.payload,
          headers: e.headers ?? {},
          query: queryOf(
            e as { sessionKey: string | null; contact: Record<string, string> | null },
          ),
          contact: e.contact ?? {},
          cloudevent: e.cloudEvent ?? {},
        },
        id,
      )),
    });
  return {
    valid: true as const,
    matched: events.filter((e) => e.matched).length,
    total: events.length,
    events,
  };
}
