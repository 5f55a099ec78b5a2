import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { triggerEvents as e, type BatchPolicy } from "@/db/schema";
import { compileExpression, evaluate } from "@/lib/cel";
import type { FilterActivation } from "./filter";

// Bursts become one run. A trigger with a batch policy stores each event `queued` with a due time
// (locked_until, the same column a retry's back-off uses, so nothing claims it early) and its
// batch key. Each arrival moves the due time of every queued event of its key: to `window` after
// the newest, never past `maxWait` after the oldest, and to now once `maxEvents` are waiting. The
// grouping and the due time live in the database, so the inline runner, Inngest and any number of
// servers agree; the claim (lib/processing/claim.ts) takes the whole group into one run.

/** A key expression must compile to a string or number: else the problem, with where it is. */
export function batchKeyProblem(src: string): string | null {
  const c = compileExpression(src, "key");
  return c.ok ? null : `line ${c.problem.line}, column ${c.problem.column}: ${c.problem.message}`;
}

/**
 * The batch an event waits in: the key expression's value, or its session (events without a
 * session share the trigger's one batch). An expression that cannot decide is the event's error.
 */
export async function batchKeyOf(
  policy: BatchPolicy,
  activation: FilterActivation,
  sessionKey: string | null,
  triggerId: string,
): Promise<{ key: string } | { error: string }> {
  if (!policy.key) return { key: `s:${sessionKey ?? ""}` };
  const outcome = await evaluate(
    policy.key,
    { ...activation, cloudevent: activation.cloudevent ?? {} },
    { key: triggerId, expect: "key" },
  );
  if (!outcome.ok) return { error: `Batch key: ${outcome.message}` };
  const value = outcome.value;
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "bigint")
    return { error: `Batch key: gave ${typeof value}, not a string or a number` };
  return { key: `k:${String(value).slice(0, 200)}` };
}

/**
 * After an event joined its key's batch: every queued event of the key waits until `window`
 * after now, but no longer than `maxWait` after the oldest; with `maxEvents` waiting, they are
 * due now. One statement; an event a claim took meanwhile is no longer `queued` and stays out
 * (of the count too: the oldest and the count are of the rows locked). The rows are locked in
 * their ids' order first: two arrivals of one key moving the same rows at
 * once took their locks in different orders and one was ended as a deadlock (40P01).
 */
export async function extendBatch(
  db: Pick<Db, "execute">,
  triggerId: string,
  key: string,
  policy: BatchPolicy,
) {
  await db.execute(sql`
    with locked as (
      select ${e.id}, ${e.createdAt} from ${e}
      where ${e.triggerId} = ${triggerId} and ${e.batchKey} = ${key} and ${e.status} = 'queued'
        and ${e.attempts} = 0
      order by ${e.id}
      for update
    ), g as (
      select min(created_at) as first, count(*)::int as n from locked
    )
    update ${e} set locked_until = case
        when g.n >= ${policy.maxEvents} then now()
        else least(
          greatest(${e.lockedUntil}, now() + ${policy.window} * interval '1 millisecond'),
          g.first + ${policy.maxWait} * interval '1 millisecond')
      end
    from g
    where ${e.id} in (select id from locked) and ${e.status} = 'queued' and ${e.attempts} = 0`);
}
