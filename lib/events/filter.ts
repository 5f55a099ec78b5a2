import {
  Environment,
  EvaluationError,
  ParseError,
  type ASTNode,
  type ParseResult,
} from "@marcbachmann/cel-js";
import { MAX_FILTER_LENGTH } from "@/lib/triggers/schema";

// A trigger's filter: a CEL expression over {payload, headers, query, contact}
// that decides, before anything is queued, whether an event reaches the bot.
// @marcbachmann/cel-js: accurate error positions, a type checker for save-time
// validation, parse limits and no dependencies (see the closing notes).
// matches() is refused: its JavaScript regular expressions can backtrack for
// seconds on a hostile payload.

export { MAX_FILTER_LENGTH };

const env = new Environment({
  enableOptionalTypes: true,
  limits: {
    maxAstNodes: 500,
    maxDepth: 32,
    maxListElements: 100,
    maxMapEntries: 100,
    maxCallArguments: 8,
  },
})
  .registerVariable("payload", "dyn")
  .registerVariable("headers", "map<string, string>")
  .registerVariable("query", "map<string, string>")
  .registerVariable("contact", "dyn");

export type FilterActivation = {
  payload: unknown;
  headers: Record<string, string>;
  query: Record<string, string>;
  contact: Record<string, unknown>;
};

export type FilterProblem = { message: string; line: number; column: number };

const position = (src: string, offset: number) => {
  const before = src.slice(0, offset);
  return { line: before.split("\n").length, column: offset - before.lastIndexOf("\n") };
};

const COMPREHENSIONS = new Set(["exists", "all", "exists_one", "filter", "map"]);

/** Every function call with its position and how many comprehensions enclose it. */
function calls(
  node: unknown,
  out: { name: string; start: number; depth: number }[] = [],
  depth = 0,
) {
  if (Array.isArray(node)) {
    for (const n of node) calls(n, out, depth);
    return out;
  }
  if (!node || typeof node !== "object" || !("op" in node)) return out;
  const n = node as ASTNode;
  let inner = depth;
  if (n.op === "call" || n.op === "rcall") {
    const name = String(n.args[0]);
    out.push({ name, start: n.range.start, depth });
    if (COMPREHENSIONS.has(name)) inner++;
  }
  calls(n.args, out, inner);
  return out;
}

const compiled = new Map<string, ParseResult>();

/** The compiled filter, or the problem with its line and column. */
export function compileFilter(
  src: string,
): { ok: true; run: ParseResult } | { ok: false; problem: FilterProblem } {
  const cached = compiled.get(src);
  if (cached) return { ok: true, run: cached };
  const fail = (message: string, offset = 0) => ({
    ok: false as const,
    problem: { message, ...position(src, offset) },
  });
  if (src.length > MAX_FILTER_LENGTH)
    return fail(`must be at most ${MAX_FILTER_LENGTH} characters`);
  let run: ParseResult;
  try {
    run = env.parse(src);
  } catch (error) {
    if (error instanceof ParseError) return fail(error.summary, error.range?.start ?? 0);
    throw error;
  }
  const found = calls(run.ast);
  const regex = found.find((c) => c.name === "matches");
  if (regex)
    return fail(
      "matches() is not available in filters; use startsWith, endsWith or contains",
      regex.start,
    );
  // a comprehension inside another is quadratic in a payload's lists: minutes on a 1 MiB body
  const nested = found.find((c) => COMPREHENSIONS.has(c.name) && c.depth > 0);
  if (nested)
    return fail(
      `${nested.name}() inside another exists/all/filter/map is not available in filters`,
      nested.start,
    );
  const checked = run.check();
  if (!checked.valid)
    return fail(checked.error?.summary ?? "is not valid", checked.error?.range?.start ?? 0);
  if (checked.type !== "bool" && checked.type !== "dyn")
    return fail(`must be true or false, not ${checked.type}`);
  if (compiled.size > 1000) compiled.clear();
  compiled.set(src, run);
  return { ok: true, run };
}

/** Whether an event passes the filter; an error says why it could not be decided. */
export function runFilter(
  src: string,
  activation: FilterActivation,
): { matched: boolean; error?: string } {
  const c = compileFilter(src);
  if (!c.ok) return { matched: false, error: `Filter: ${c.problem.message}` };
  try {
    const result = c.run(activation);
    if (typeof result !== "boolean")
      return { matched: false, error: `Filter: gave ${typeof result}, not true or false` };
    return { matched: result };
  } catch (error) {
    if (error instanceof EvaluationError)
      return { matched: false, error: `Filter: ${error.summary}` };
    throw error;
  }
}
