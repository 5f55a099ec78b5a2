import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { NotificationType } from "@/db/schema";
import { newId } from "@/lib/core/ids";
import { dispatchOutbox } from "@/lib/jobs/dispatch";

// Rows go into the outbox in the statement or transaction that decides them (a run completing,
// failing, a call held for approval, a trigger pausing), so nothing is sent for what did not
// happen and nothing that happened goes unsent. `dedupe_key` makes each one once. The delivery
// (./deliver.ts) is woken after the commit by dispatchOutbox.

/**
 * An outbox id made by the database for rows it inserts several at a time: time-ordered like
 * every id of an endpoint's delivery log (microseconds in hex), unique by `seed`'s hash.
 */
export const outboxId = (seed: SQL) =>
  sql`'outbox_' || lpad(upper(to_hex((extract(epoch from clock_timestamp()) * 1000000)::bigint)), 14, '0') || upper(substr(md5(${seed}), 1, 12))`;

type Refs = { triggerId?: string | null; eventId?: string | null; conversationId?: string | null };

/**
 * An insert of one notification per enabled endpoint of the owner subscribed to `type`, keyed
 * `<key>:<endpoint>`. `when` (SQL) gates it, for use inside a statement's CTE.
 */
export function notificationRows(
  ownerId: string,
  type: NotificationType,
  key: string,
  data: Record<string, unknown>,
  refs: Refs = {},
  when: SQL = sql`true`,
): SQL {
  const body = JSON.stringify({ type, data });
  return sql`
    insert into outbox (id, owner_id, kind, type, trigger_id, event_id, conversation_id,
      endpoint_id, body, dedupe_key)
    select ${outboxId(sql`${key} || ':' || ne.id`)}, ${ownerId},
      'notification', ${type}, ${refs.triggerId ?? null}, ${refs.eventId ?? null},
      ${refs.conversationId ?? null}, ne.id, ${body}::text::jsonb, ${key} || ':' || ne.id
    from notification_endpoints ne
    where ne.owner_id = ${ownerId} and ne.enabled and ne.events ? ${type} and (${when})
    on conflict (dedupe_key) do nothing`;
}

/** A notification to the owner's endpoints for `type` (no row when none is subscribed). */
export async function notify(
  db: Pick<Db, "execute">,
  ownerId: string,
  type: NotificationType,
  key: string,
  data: Record<string, unknown>,
  refs: Refs = {},
) {
  await db.execute(notificationRows(ownerId, type, key, data, refs));
}

/** The reply of a completed run, for the trigger's reply target; `when` gates it (a CTE). */
export function replyRow(
  ev: { id: string; ownerId: string; triggerId: string },
  conversationId: string,
  reply: string,
  when: SQL,
): SQL {
  const body = JSON.stringify({ reply, status: "completed" });
  return sql`
    insert into outbox (id, owner_id, kind, type, trigger_id, event_id, conversation_id, body,
      dedupe_key)
    select ${newId("outbox")}, ${ev.ownerId}, 'reply', t.reply->>'type', t.id, ${ev.id},
      ${conversationId}, ${body}::text::jsonb, ${`reply:${ev.id}`}
    from triggers t
    where t.id = ${ev.triggerId} and t.reply is not null and (${when})
    on conflict (dedupe_key) do nothing`;
}

/** After the commit: wake the delivery (never throws). */
export const sendOutbox = () => dispatchOutbox();
