import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { triggers } from "@/db/schema";
import { getOwnedOrThrow } from "@/db/owned";
import { rollUpStats } from "./rollup";

const DAY_MS = 24 * 3_600_000;

/** A time-sortable id in SQL, as lib/ids.ts makes them: prefix, 10 base32 characters of time in 1/256 ms, 16 more. */
const idAt = (prefix: string, at: ReturnType<typeof sql>) => sql`${prefix} || '_' || (
  select string_agg(substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ',
    (((floor(extract(epoch from ${at}) * 1000)::bigint * 256) >> (5 * (9 - i))) & 31)::int + 1, 1), '' order by i)
  from generate_series(0, 9) i) || upper(substr(md5(random()::text), 1, 16))`;

/**
 * For the growth benchmark (TEST_HOOKS only): `events` past events spread over
 * the last 28 days (inside the 30-day charts) on one trigger (90% completed, 5% failed, 5% filtered, with
 * latencies and tokens) and as many messages in 10,000 of its conversations,
 * written by SQL in batches; then the history is rolled up as the hourly tick
 * would have done while it arrived.
 */
export async function seedHistory({
  ownerId,
  triggerId,
  events,
}: {
  ownerId: string;
  triggerId: string;
  events: number;
}) {
  const db = await getDb();
  const trigger = await getOwnedOrThrow(db, triggers, triggerId, ownerId, "Trigger");
  const conversations = Math.min(10_000, events);
  const started = Date.now();
  await db.execute(sql`
    insert into conversations (id, owner_id, trigger_id, bot_id, session_key, name, last_activity_at, created_at)
    select ${idAt("conversation", sql`t.at`)}, ${ownerId}, ${triggerId}, ${trigger.botId},
      'history-' || t.n, 'history ' || t.n, t.at, t.at
    from (select n, now() - (${28 * DAY_MS} * random()) * interval '1 millisecond' as at
          from generate_series(1, ${conversations}) n) t`);
  const BATCH = 100_000;
  for (let done = 0; done < events; done += BATCH) {
    const n = Math.min(BATCH, events - done);
    await db.execute(sql`
      with c as (select id, row_number() over () as k from conversations where trigger_id = ${triggerId} and session_key like 'history-%'),
      e as (
        select n, now() - interval '1 hour' - (${28 * DAY_MS - 3_600_000} * random()) * interval '1 millisecond' as at,
          random() as r, (n % ${conversations}) + 1 as k
        from generate_series(1, ${n}) n)
      insert into trigger_events (id, owner_id, trigger_id, kind, status, payload, content_type, headers,
        attempts, conversation_id, input_tokens, output_tokens, started_at, completed_at, created_at, updated_at)
      select ${idAt("event", sql`e.at`)}, ${ownerId}, ${triggerId}, 'event',
        case when e.r < 0.9 then 'completed' when e.r < 0.95 then 'failed' else 'filtered' end,
        jsonb_build_object('text', 'history event ' || e.n), 'application/json', '{}'::jsonb,
        1, c.id, 120, 40, e.at, e.at + (20 + 2000 * random()) * interval '1 millisecond', e.at, e.at
      from e join c on c.k = e.k`);
    await db.execute(sql`
      with c as (select id, row_number() over () as k from conversations where trigger_id = ${triggerId} and session_key like 'history-%'),
      m as (
        select n, now() - interval '1 hour' - (${28 * DAY_MS - 3_600_000} * random()) * interval '1 millisecond' as at,
          (n % ${conversations}) + 1 as k
        from generate_series(1, ${n}) n)
      insert into messages (id, owner_id, conversation_id, type, text, meta, created_at)
      select ${idAt("message", sql`m.at`)}, ${ownerId}, c.id,
        case when m.n % 2 = 0 then 'user' else 'bot' end, 'history message ' || m.n, '{}'::jsonb, m.at
      from m join c on c.k = m.k`);
  }
  await db.execute(sql`analyze`);
  // the history arrived before the rollup's watermark: roll it up as the tick would have
  await db.execute(sql`delete from rollup_watermarks`);
  await rollUpStats();
  return { events, messages: events, conversations, ms: Date.now() - started };
}
