import "server-only";
import type { TriggerEvent } from "@/db/schema";
import { leaseMs, renewLease } from "./claim";

/**
 * Why a run stopped before its end: it must then record nothing more.
 * "unreachable": the database did not answer a renewal, so whether the claim
 * still holds is unknown (the runner hands the event back once it can).
 * "stalled": the run outlived every bound it has (lib/processing/runner.ts): its
 * worker was given back and its lease left to run out, so the event is claimed
 * again, charged, like an event whose server died.
 */
export type StopReason = "lost" | "cancelled" | "shutdown" | "unreachable" | "stalled";

export class RunStopped extends Error {
  constructor(readonly reason: StopReason) {
    super(
      reason === "lost"
        ? "The run lost its claim on the event (another run took it over)"
        : reason === "cancelled"
          ? "The event was cancelled"
          : reason === "unreachable"
            ? "The database did not answer; the run stopped and the event goes back to the queue"
            : reason === "stalled"
              ? "The run did not end in time; it was abandoned and the event is taken again after its lease"
              : "The server is shutting down; the event was handed back",
    );
    this.name = "RunStopped";
  }
}

/**
 * One run's hold on its event: a heartbeat renews the lease, and a failed or
 * refused renewal stops the run through one AbortSignal that reaches the
 * model call and every ability request. `checkpoint()` renews before each
 * side effect, so a run that lost its claim never calls an ability again.
 */
export class RunControl {
  private controller = new AbortController();
  private heartbeat: NodeJS.Timeout | null = null;
  /** The conversation the run writes to, once known (for the log line of the attempt). */
  conversationId: string | null = null;
  /** What the run is waiting on now: the watchdog's log line names it when it gives the run up. */
  step = "starting";
  /** When the run began and, once stopped, when (performance.now()): the runner's watchdog reads them. */
  readonly startedAt = performance.now();
  stoppedAt: number | null = null;
  /** Given up by the runner's watchdog: whatever the run does later is neither recorded nor counted. */
  abandoned = false;

  constructor(private readonly event: Pick<TriggerEvent, "id" | "attempts">) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Set once the run was stopped: lost claim, cancelled, or shutting down. */
  get stopped(): StopReason | null {
    return this.signal.aborted ? (this.signal.reason as RunStopped).reason : null;
  }

  stop(reason: StopReason) {
    if (this.signal.aborted) return;
    this.stoppedAt = performance.now();
    this.controller.abort(new RunStopped(reason));
  }

  start() {
    this.heartbeat ??= setInterval(() => void this.renew().catch(() => {}), leaseMs() / 3);
    this.heartbeat.unref();
    return this;
  }

  finish() {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  /** Renews the claim before a side effect; throws RunStopped when it is no longer this run's. */
  async checkpoint() {
    await this.renew();
    if (this.signal.aborted) throw this.signal.reason;
  }

  private async renew() {
    if (this.signal.aborted) return;
    let state: Awaited<ReturnType<typeof renewLease>>;
    try {
      state = await renewLease(this.event);
    } catch {
      // Not knowing whether the claim still holds counts as losing it: another server may take over.
      this.stop("unreachable");
      return;
    }
    if (state !== "held") this.stop(state);
  }
}
