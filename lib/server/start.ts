import "server-only";
import { getDb } from "@/db/client";
import { VACUUM_CHECK_MS, vacuumUnattended } from "@/db/vacuum";
import { stampClientAddresses } from "@/lib/core/client-address";
import { isDatabaseUnavailable } from "@/lib/core/db-unavailable";
import { env, usesInngest } from "@/lib/core/env";
import { runScheduleTick } from "@/lib/schedules/tick";
import { sealLegacyCredentials } from "@/lib/skillsets/service";
import { errorField, log } from "@/lib/observability/log";
import { setScrapeSources } from "@/lib/observability/metrics";
import { queueState } from "@/lib/events/queue-state";
import { rollUpStats } from "@/lib/stats/rollup";
import { registerOutbox, registerRunner, RUNNER_CHANNEL } from "@/lib/jobs/dispatch";
import { outboxWorker } from "@/lib/outbox/deliver";
import { inlineRunner } from "@/lib/processing/runner";
import { deleteExpired } from "./maintenance";
import { stopKeepingAlive } from "./connections";
import { expireApprovals } from "@/lib/approvals/service";

const TICK_MS = 10_000;
const MAINTENANCE_MS = 60_000;

const g = globalThis as unknown as { __serverState?: { draining: boolean } };
/** This process is shutting down (readiness answers 503 from the first moment). */
export const serverState = () => (g.__serverState ??= { draining: false });

/**
 * Called once per server process (instrumentation.ts): check the configuration,
 * open the database, start the inline runner and its timers, and drain on
 * SIGTERM/SIGINT. A configuration this server cannot run with stops it with
 * the sentence that says what to change, not a stack trace.
 */
export async function startServer() {
  try {
    stampClientAddresses(env().TRUST_PROXY_HOPS);
    await startJobs();
  } catch (error) {
    console.error(`[startup] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

async function startJobs() {
  if (!(await openDatabase())) {
    log().info("stopped while waiting for the database: nothing was started");
    process.exit(0);
  }
  setScrapeSources({
    queue: queueState,
    busyWorkers: () => (!usesInngest() && env().INLINE_RUNNER ? inlineRunner().busy() : 0),
  });
  await sealLegacyCredentials();
  if (usesInngest()) {
    drainOnSignals(async () => ({}));
    log().info("Inngest mode: events are processed by the functions served at /api/inngest.");
    return;
  }
  if (!env().INLINE_RUNNER) {
    drainOnSignals(async () => ({}));
    log().info(
      "INLINE_RUNNER=false: this server only accepts events; another process must run them.",
    );
    return;
  }
  const runner = inlineRunner();
  runner.start();
  registerRunner((owners) => runner.wake(owners));
  // woken too by servers without a runner of their own (lib/jobs/dispatch.ts); polling stays
  const db = await getDb();
  await db
    .$listen(RUNNER_CHANNEL, () => runner.wake())
    .catch((error) =>
      log().warn(
        { error: errorField(error) },
        "could not listen for events other servers store; polling finds them within a second",
      ),
    );
  registerOutbox(outboxWorker().wake);
  every(TICK_MS, "schedule tick", () => runScheduleTick());
  every(MAINTENANCE_MS, "retention", () => deleteExpired());
  every(TICK_MS, "stats rollup", () => rollUpStats());
  every(TICK_MS, "approval expiry", () => expireApprovals());
  every(VACUUM_CHECK_MS, "vacuum", () => vacuumUnattended());
  drainOnSignals(() => runner.drain(env().SHUTDOWN_GRACE_MS));
  log().info("Inline runner started: events and schedules are processed in this process.");
}

function every(ms: number, what: string, job: () => Promise<unknown>) {
  let busy = false;
  const run = async () => {
    if (busy || serverState().draining) return;
    busy = true;
    try {
      await job();
    } catch (e) {
      log().warn({ job: what, error: errorField(e) }, `${what} failed`);
    } finally {
      busy = false;
    }
  };
  void run();
  setInterval(run, ms).unref();
}

/**
 * Opens and migrates the database at start-up, not on the first request. A PostgreSQL that does
 * not answer yet (starting beside this server, or slow to accept under load) is tried again each
 * second for DATABASE_WAIT_MS; anything else (a wrong password, a PGlite directory in use) stops
 * the server at once. A SIGTERM or SIGINT while it waits ends the wait: false, start nothing.
 */
async function openDatabase(): Promise<boolean> {
  const waitMs = env().DATABASE_WAIT_MS;
  const deadline = Date.now() + waitMs;
  let signalled = false;
  let onSignal = () => {};
  const stopped = new Promise<void>((resolve) => {
    onSignal = () => {
      signalled = true;
      resolve();
    };
  });
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
  try {
    for (let waiting = false; !signalled; waiting = true) {
      try {
        await Promise.race([getDb(), stopped]);
        if (signalled) break;
        if (waiting) log().info("the database answers: starting");
        return true;
      } catch (error) {
        if (!isDatabaseUnavailable(error)) throw error;
        if (Date.now() >= deadline) throw new Error(notAnswered(error, waitMs));
        if (!waiting)
          log().warn(
            { error: errorField(error) },
            `the database does not answer yet: trying again each second for ${waitMs / 1000} s`,
          );
        await Promise.race([new Promise((r) => setTimeout(r, 1000)), stopped]);
      }
    }
    return false;
  } finally {
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
  }
}

/** The sentence a server that waited for its database in vain stops with. */
function notAnswered(error: unknown, waitMs: number): string {
  const why = errorField(error);
  const code = "code" in why ? String(why.code) : undefined;
  // the role's or database's own statement_timeout (the server sets none on the connection that
  // migrates) cancelled the wait for the migration lock or a migration, each try
  if (code === "57014")
    return (
      `PostgreSQL cancelled the start-up statements for ${waitMs / 1000} s (57014, statement_timeout): ` +
      "another server may be applying migrations, or they take longer than the statement_timeout " +
      "set for this role or database allows; raise it for this role (ALTER ROLE ... SET statement_timeout) and start again."
    );
  return `The database did not answer within ${waitMs / 1000} s (${code ?? why.message}): check DATABASE_URL and that PostgreSQL is running.`;
}

/**
 * Next.js closes the HTTP server and exits on SIGTERM/SIGINT. Its handlers run
 * after ours: first the runner drains (running events finish for up to
 * SHUTDOWN_GRACE_MS, the rest are handed back), while the server still takes
 * events and readiness says 503 so the load balancer moves traffic away; from the first moment its
 * answers close their connections (./connections.ts). A signal while draining changes nothing
 * (a supervisor signalling the process group sends two; the second must not cut the drain short).
 */
function drainOnSignals(drain: () => Promise<unknown>) {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    const next = process.listeners(signal);
    process.removeAllListeners(signal);
    process.on(signal, async () => {
      if (serverState().draining) {
        log().info({ signal }, `${signal}: already draining`);
        return;
      }
      serverState().draining = true;
      stopKeepingAlive();
      log().info({ signal }, `${signal}: draining the runner before shutting down`);
      try {
        const result = (await drain()) as { handedBack?: number };
        log().info(result, `drained: ${result.handedBack ?? 0} handed back`);
      } catch (e) {
        log().error({ error: errorField(e) }, "drain failed");
      }
      for (const listener of next) (listener as (s: NodeJS.Signals) => void)(signal);
      if (!next.length) process.exit(0);
    });
  }
}
