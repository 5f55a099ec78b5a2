import "server-only";
import { existsSync } from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { errorField, log } from "@/lib/observability/log";
import { evaluateExpression, type Evaluation, type ExpressionType } from "./engine.mjs";

export {
  BUILD_LIMITS,
  compileExpression,
  MAX_BIND_DEPTH,
  MAX_EXPRESSION_LENGTH,
  type ExpressionProblem,
} from "./engine.mjs";
export type { Evaluation, ExpressionType };

// User-written CEL runs in bounded time and memory (./engine.mjs meters every step). It starts on
// the server's own thread with a short budget, which is all that ordinary expressions need; one
// that runs out of it gets the rest of the CPU budget in a worker thread, so a hostile expression
// costs its owner a failed event and the server at most INLINE_BUDGET_MS of its thread, while
// every other request goes on. The worker serves the expressions of different keys (triggers) in
// turn, so one trigger's slow expressions do not queue another's behind them.

/** The most CPU time one evaluation may use, both stages together. */
export const CPU_BUDGET_MS = 50;
/** What an evaluation may use on the thread that serves requests before it moves to the worker. */
export const INLINE_BUDGET_MS = 5;
/** Slow evaluations of one key waiting for the worker at once; more fail at once with "busy". */
const MAX_PENDING_PER_KEY = 8;
/** A worker that has not answered this long after its budget is stuck inside one step: replaced. */
const BACKSTOP_MS = 1000;
/** An idle worker is stopped after this long (its memory is the embedded box's to keep). */
const IDLE_MS = 30_000;

export type Outcome = Evaluation | { ok: false; code: "busy"; message: string };

/** Evaluates `src` over `activation` within CPU_BUDGET_MS and the build limits. */
export async function evaluate(
  src: string,
  activation: Record<string, unknown>,
  options: { key: string; expect?: ExpressionType },
): Promise<Outcome> {
  const expect = options.expect ?? "bool";
  const first = evaluateExpression(src, activation, INLINE_BUDGET_MS, expect);
  if (first.ok || first.code !== "time") return first;
  return evaluationWorker().run({
    key: options.key,
    src,
    activation,
    expect,
    budgetMs: CPU_BUDGET_MS - INLINE_BUDGET_MS,
  });
}

type Job = {
  id: number;
  key: string;
  src: string;
  activation: Record<string, unknown>;
  expect: ExpressionType;
  budgetMs: number;
  resolve: (outcome: Outcome) => void;
};

const WORKER_FILE = path.join(process.cwd(), "lib", "cel", "worker.mjs");

class EvaluationWorker {
  private worker: Worker | null = null;
  private queues = new Map<string, Job[]>();
  private current: Job | null = null;
  private backstop: NodeJS.Timeout | null = null;
  private idle: NodeJS.Timeout | null = null;
  private nextId = 1;

  run(job: Omit<Job, "id" | "resolve">): Promise<Outcome> {
    const queue = this.queues.get(job.key) ?? [];
    if (queue.length >= MAX_PENDING_PER_KEY)
      return Promise.resolve({
        ok: false,
        code: "busy",
        message: `more than ${MAX_PENDING_PER_KEY} slow evaluations of this trigger were waiting at once`,
      });
    return new Promise((resolve) => {
      queue.push({ ...job, id: this.nextId++, resolve });
      this.queues.set(job.key, queue);
      this.next();
    });
  }

  /** The first job of the key after the current one's: keys take turns. */
  private take(): Job | undefined {
    const [key, queue] = this.queues.entries().next().value ?? [];
    if (!key || !queue) return undefined;
    const job = queue.shift()!;
    this.queues.delete(key); // re-inserted last: the next key goes first next time
    if (queue.length) this.queues.set(key, queue);
    return job;
  }

  private next(): void {
    if (this.current) return;
    const job = this.take();
    if (!job) {
      this.idle ??= setTimeout(() => this.stop(), IDLE_MS).unref();
      return;
    }
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    const worker = this.spawn();
    if (!worker) {
      // no worker file (a server started outside the project folder): the whole budget here
      job.resolve(evaluateExpression(job.src, job.activation, job.budgetMs, job.expect));
      return this.next();
    }
    this.current = job;
    this.backstop = setTimeout(() => {
      this.finish({ ok: false, code: "time", message: `used more than its ${CPU_BUDGET_MS} ms` });
      this.stop();
    }, job.budgetMs + BACKSTOP_MS).unref();
    worker.postMessage({
      id: job.id,
      src: job.src,
      activation: job.activation,
      budgetMs: job.budgetMs,
      expect: job.expect,
    });
  }

  private finish(outcome: Outcome) {
    const job = this.current;
    if (this.backstop) clearTimeout(this.backstop);
    this.backstop = null;
    this.current = null;
    job?.resolve(outcome);
    queueMicrotask(() => this.next());
  }

  private spawn(): Worker | null {
    if (this.worker) return this.worker;
    if (!existsSync(WORKER_FILE)) {
      log().warn({ file: WORKER_FILE }, "CEL worker file not found; slow expressions run inline");
      return null;
    }
    const worker = new Worker(WORKER_FILE, {
      // not the parent's flags and loaders: the worker needs plain Node and the engine only
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16 },
    });
    worker.unref();
    worker.on("message", (m: { id: number; result: Outcome }) => {
      if (m.id === this.current?.id) this.finish(m.result);
    });
    worker.on("error", (error) => {
      log().warn({ error: errorField(error) }, "CEL worker stopped");
      if (this.worker === worker) this.worker = null;
      this.finish({ ok: false, code: "size", message: "used more memory than it may" });
    });
    worker.on("exit", () => {
      if (this.worker === worker) this.worker = null;
    });
    this.worker = worker;
    return worker;
  }

  private stop() {
    const worker = this.worker;
    this.worker = null;
    void worker?.terminate();
  }
}

const g = globalThis as unknown as { __celWorker?: EvaluationWorker };
const evaluationWorker = () => (g.__celWorker ??= new EvaluationWorker());
