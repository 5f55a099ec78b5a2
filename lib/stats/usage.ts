import { sql } from "drizzle-orm";
import type { Trigger } from "@/db/schema";
import { now } from "@/lib/core/clock";
import { PermanentError } from "@/lib/core/errors";

/** The first instant of the UTC month `offset` months from `at`'s. */
export const monthStart = (at: Date, offset = 0) =>
  new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + offset, 1));

/** What the trigger's runs used this month: its counter, if the counter is this month's. */
export function tokensUsedThisMonth(t: Pick<Trigger, "tokensUsed" | "tokensMonth">, at = now()) {
  return t.tokensMonth?.getTime() === monthStart(at).getTime() ? t.tokensUsed : 0;
}

/** The triggers row's counter, moved on by a run's tokens (starting over when the month turned). */
export const addToMonth = (tokens: number) => ({
  tokensUsed: sql<number>`case when tokens_month = date_trunc('month', now(), 'UTC')
    then tokens_used + ${tokens} else ${tokens} end`,
  tokensMonth: sql<Date>`date_trunc('month', now(), 'UTC')`,
});

/** Refuses a run once the trigger's monthly budget is spent: the event fails with a sentence that says what to do. */
export function checkBudget(t: Pick<Trigger, "monthlyTokenBudget" | "tokensUsed" | "tokensMonth">) {
  if (t.monthlyTokenBudget === null) return;
  const used = tokensUsedThisMonth(t);
  if (used < t.monthlyTokenBudget) return;
  const turns = monthStart(now(), 1).toISOString().slice(0, 10);
  throw new PermanentError(
    `The trigger's monthly token budget is spent (${used} of ${t.monthlyTokenBudget} tokens used this month, UTC): ` +
      `events fail until the month turns on ${turns} or the budget is raised.`,
  );
}
