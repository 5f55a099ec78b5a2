import "server-only";
import { compileExpression, CPU_BUDGET_MS, evaluate, type ExpressionProblem } from "@/lib/cel";

// A trigger's filter: a CEL expression over {payload, headers, query, contact, cloudevent}
// that decides, before anything is queued, whether an event reaches the bot.
// @marcbachmann/cel-js (accurate error positions, a type checker for save-time
// validation, parse limits, no dependencies), run in bounded time and memory by
// lib/cel: what it cannot finish within its budget fails the event with the
// code filter_limit, and nothing else on the server waits for it.

export type FilterActivation = {
  payload: unknown;
  headers: Record<string, string>;
  query: Record<string, string>;
  contact: Record<string, unknown>;
  /** A CloudEvent's context attributes (type, source, subject, ...); empty for other deliveries. */
  cloudevent?: Record<string, unknown>;
};

export type FilterProblem = ExpressionProblem;

/**
 * Why an event was not queued although it arrived: the filter could not run (filter_error) or ran
 * past its limits (filter_limit), or the batch key could not be worked out (batch_key_error).
 */
export type FilterErrorCode = "filter_error" | "filter_limit" | "batch_key_error";

export type FilterDecision = { matched: boolean; error?: string; code?: FilterErrorCode };

/** The compiled filter, or the problem with its line and column. */
export const compileFilter = (src: string) => compileExpression(src, "bool");

/** Whether an event passes the filter; an error says why it could not be decided. */
export async function runFilter(
  src: string,
  activation: FilterActivation,
  triggerId: string,
): Promise<FilterDecision> {
  const outcome = await evaluate(
    src,
    { ...activation, cloudevent: activation.cloudevent ?? {} },
    { key: triggerId },
  );
  if (outcome.ok) {
    if (typeof outcome.value !== "boolean")
      return {
        matched: false,
        error: `Filter: gave ${typeof outcome.value}, not true or false`,
        code: "filter_error",
      };
    return { matched: outcome.value };
  }
  switch (outcome.code) {
    case "time":
      return limit(`it used more than ${CPU_BUDGET_MS} ms of CPU`);
    case "size":
      return limit(`it ${outcome.message}`);
    case "busy":
      return limit(outcome.message);
    default:
      return { matched: false, error: `Filter: ${outcome.message}`, code: "filter_error" };
  }
}

const limit = (why: string): FilterDecision => ({
  matched: false,
  error: `Filter stopped: ${why}. Filters run within fixed limits so that no trigger can hold up the server; simplify the expression.`,
  code: "filter_limit",
});
