// The CEL engine for expressions over an event (a trigger's filter, a batch key), shared by the
// server and the evaluation worker (./worker.mjs), which is why it is plain JavaScript: a worker
// thread loads it without the bundler. @marcbachmann/cel-js parses and type-checks; this module
// adds what it lacks for user-written expressions run beside other tenants' requests:
//   - static refusals at save time (regular expressions, nested comprehensions, deep cel.bind);
//   - a meter on every evaluation step: the time spent (checked every few hundred steps) and the
//     size of every list, map and string an operation builds. Growth such as
//     `cel.bind(b, a + a + ... + a, ...)` (sixteen-fold per level) stops at the size cap after a
//     few milliseconds instead of holding the process for seconds.
import { Environment, EvaluationError, ParseError } from "@marcbachmann/cel-js";

export const MAX_EXPRESSION_LENGTH = 2000;

/** What one evaluation may build (values read from the event are not counted: they exist already). */
export const BUILD_LIMITS = {
  listElements: 100_000,
  mapEntries: 10_000,
  stringChars: 2 * 1024 * 1024,
};

/** Nested cel.bind levels refused at save: each level can multiply what the next one builds. */
export const MAX_BIND_DEPTH = 3;

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
  .registerVariable("contact", "dyn")
  .registerVariable("cloudevent", "dyn")
  .registerVariable("session", "dyn");

// The evaluator that runs every step is private to the library; a function registered for the
// purpose is called with it as `this` (functions are applied to the evaluator), once, here.
let evaluator;
env.registerFunction("__meter_probe(): bool", function probe() {
  // eslint-disable-next-line @typescript-eslint/no-this-alias -- the evaluator is only reachable as `this`
  evaluator = this;
  return true;
});
env.parse("__meter_probe()")({});

/** Operations whose result is new (a concatenation, a literal, a call's or a comprehension's result). */
const BUILDS = new Set(["+", "list", "map", "call", "rcall", "comprehension", "accuPush"]);
const CHECK_TIME_EVERY = 64;
/** A step that built something this large checks the time at once (building it took a while). */
const LARGE = 4096;

class MeterStop extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

let meter = null;

const sizeOf = (value) =>
  typeof value === "string" || Array.isArray(value) || value instanceof Uint8Array
    ? value.length
    : value instanceof Map
      ? value.size
      : 0;

function sizeProblem(value) {
  if (typeof value === "string")
    return value.length > BUILD_LIMITS.stringChars
      ? `built a string longer than ${BUILD_LIMITS.stringChars} characters`
      : null;
  if (Array.isArray(value))
    return value.length > BUILD_LIMITS.listElements
      ? `built a list of more than ${BUILD_LIMITS.listElements} elements`
      : null;
  if (value instanceof Map)
    return value.size > BUILD_LIMITS.mapEntries
      ? `built a map of more than ${BUILD_LIMITS.mapEntries} entries`
      : null;
  if (value instanceof Uint8Array)
    return value.length > BUILD_LIMITS.stringChars
      ? `built bytes longer than ${BUILD_LIMITS.stringChars}`
      : null;
  return null;
}

// A stop is thrown from the step that found it. exists(), all() and the logical operators absorb
// a step's error (tryEval) and go on, as CEL's semantics ask; a stop is not theirs to absorb, so
// tryEval hands it on (below), and every later step throws it again.
const stop = (m, code, message) => {
  m.stopped ??= new MeterStop(code, message);
  throw m.stopped;
};

function overTime(m) {
  if (performance.now() > m.deadline)
    stop(m, "time", `used more than its ${m.budgetMs} ms of work`);
}

const baseRun = evaluator.run;
evaluator.run = function meteredRun(ast, ctx) {
  const m = meter;
  if (m?.stopped) throw m.stopped;
  if (m && ++m.steps % CHECK_TIME_EVERY === 0) overTime(m);
  const result = baseRun.call(this, ast, ctx);
  if (m && BUILDS.has(ast.op)) {
    const problem = sizeProblem(result);
    if (problem) stop(m, "size", problem);
    if (sizeOf(result) > LARGE) overTime(m);
  }
  return result;
};

const baseTryEval = evaluator.tryEval;
evaluator.tryEval = function meteredTryEval(ast, ctx) {
  const result = baseTryEval.call(this, ast, ctx);
  if (result instanceof MeterStop) throw result;
  return result;
};

const position = (src, offset) => {
  const before = src.slice(0, offset);
  return { line: before.split("\n").length, column: offset - before.lastIndexOf("\n") };
};

const COMPREHENSIONS = new Set(["exists", "all", "exists_one", "filter", "map"]);

/** Every function call with its position, the comprehensions and the cel.bind levels around it. */
function calls(node, out = [], depth = 0, binds = 0) {
  if (Array.isArray(node)) {
    for (const n of node) calls(n, out, depth, binds);
    return out;
  }
  if (!node || typeof node !== "object" || !("op" in node)) return out;
  let inner = depth;
  let bound = binds;
  if (node.op === "call" || node.op === "rcall") {
    const name = String(node.args[0]);
    out.push({ name, start: node.range?.start ?? node.start ?? 0, depth, binds });
    if (COMPREHENSIONS.has(name)) inner++;
    if (name === "bind") bound++;
  }
  calls(node.args, out, inner, bound);
  return out;
}

const compiled = new Map();

/**
 * The compiled expression, or the problem with its line and column. `expect` is the result type
 * the caller needs ("bool" for a filter, "key" for a batch key: a string or a number).
 */
export function compileExpression(src, expect = "bool") {
  const cacheKey = `${expect}\u0000${src}`;
  const cached = compiled.get(cacheKey);
  if (cached) return { ok: true, run: cached };
  const fail = (message, offset = 0) => ({
    ok: false,
    problem: { message, ...position(src, offset) },
  });
  if (src.length > MAX_EXPRESSION_LENGTH)
    return fail(`must be at most ${MAX_EXPRESSION_LENGTH} characters`);
  let run;
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
      "matches() is not available here; use startsWith, endsWith or contains",
      regex.start,
    );
  // a comprehension inside another is quadratic in a payload's lists: minutes on a 1 MiB body
  const nested = found.find((c) => COMPREHENSIONS.has(c.name) && c.depth > 0);
  if (nested)
    return fail(
      `${nested.name}() inside another exists/all/filter/map is not available here`,
      nested.start,
    );
  const deep = found.find((c) => c.name === "bind" && c.binds >= MAX_BIND_DEPTH);
  if (deep)
    return fail(
      `cel.bind() may be nested at most ${MAX_BIND_DEPTH} levels deep (each level can multiply what it builds)`,
      deep.start,
    );
  const checked = run.check();
  if (!checked.valid)
    return fail(checked.error?.summary ?? "is not valid", checked.error?.range?.start ?? 0);
  if (expect === "bool" && checked.type !== "bool" && checked.type !== "dyn")
    return fail(`must be true or false, not ${checked.type}`);
  if (expect === "key" && !["string", "int", "uint", "dyn"].includes(checked.type))
    return fail(`must give a string or a number, not ${checked.type}`);
  if (compiled.size > 1000) compiled.clear();
  compiled.set(cacheKey, run);
  return { ok: true, run };
}

/**
 * Evaluates within `budgetMs` of work and the build limits. Answers
 * `{ok: true, value}`, or `{ok: false, code, message}` with code "invalid" (does not compile),
 * "error" (an evaluation error such as a missing key), "size" (built too much) or "time" (ran
 * out of its budget).
 */
export function evaluateExpression(src, activation, budgetMs, expect = "bool") {
  const c = compileExpression(src, expect);
  if (!c.ok) return { ok: false, code: "invalid", message: c.problem.message };
  const m = { steps: 0, budgetMs, deadline: performance.now() + budgetMs, stopped: null };
  meter = m;
  try {
    const value = c.run(activation);
    if (m.stopped) throw m.stopped; // caught by a comprehension, yet the budget is spent
    const problem = sizeProblem(value);
    if (problem) return { ok: false, code: "size", message: problem };
    return { ok: true, value: typeof value === "bigint" ? value.toString() : value };
  } catch (error) {
    if (error instanceof MeterStop) return { ok: false, code: error.code, message: error.message };
    if (error instanceof EvaluationError)
      return { ok: false, code: "error", message: error.summary };
    // a RangeError (a stack or a string past what V8 allows) counts as building too much
    if (error instanceof RangeError) return { ok: false, code: "size", message: error.message };
    throw error;
  } finally {
    meter = null;
  }
}
