import "server-only";
import { errorField, log } from "@/lib/observability/log";
import { getRunDb } from "@/db/client";
import type { TriggerEvent } from "@/db/schema";
import { env } from "@/lib/core/env";
import { claimBatch, handBack, leaseMs, renewLease, renewLeases } from "./claim";
import { notePoisoned } from "./failure";
import { LIMIT_RANGES } from "@/lib/triggers/schema";
import { metrics } from "@/lib/observability/metrics";
import { attemptEvent, type AttemptOutcome } from "./process";
import { RunControl } from "./run-control";
import { loadRunContexts, RUN_CONTEXT_FRESH_MS, type RunContext } from "./run-context";

const IDLE_POLL_MS = 1000;
/** How often the watchdog looks at a run (see `watch`). */
const WATCH_MS = 1000;

/** A claimed event waiting for a worker: when it was claimed (or its claim renewed), and its trigger and bot as read then. */
type Buffered = { event: TriggerEvent; at: number; read: number; context?: RunContext };

/**
 * The embedded job engine: the same lib/processing code as the Inngest
 * functions, in the server process. Woken at once when an event is stored;
 * polls while idle for retries, other servers' events and expired claims, so
 * a restart re-claims everything `queued` or stale `processing`.
 *
 * Workers share a buffer of claimed events kept per owner and take owners in
 * turn. While other owners have work, no owner runs more than its share
 * (RUNNER_MAX_PER_OWNER); alone, an owner may use every worker but one, which
 * stays free so that a newcomer's event starts at once instead of waiting for
 * a long run to end.
 */
export class InlineRunner {
  private started = false;
  private stopping = false;
  /** Events were stored since the last claim began: claim again before idling. */
  private pending = false;
  /** Claimed events not started yet, per owner, with when this server claimed them. */
  private buffer = new Map<string, Buffered[]>();
  private running = new Map<string, Set<RunControl>>();
  private lastOwner = "";
  private claiming: Promise<boolean> | null = null;
  /** Events this server holds but could not run or record because the database was away. */
  private orphans: TriggerEvent[] = [];
  private idle: { promise: Promise<void>; release: () => void } | null = null;
  private workers: Promise<void>[] = [];
  /** Renews the buffer's claims while every worker is busy (no claim comes to do it). */
  private renewer: NodeJS.Timeout | null = null;

  constructor(
    private readonly concurrency = env().RUNNER_CONCURRENCY,
    private readonly perOwner = env().RUNNER_MAX_PER_OWNER ??
      Math.max(1, Math.floor(env().RUNNER_CONCURRENCY / 2)),
  ) {}

  start() {
    if (this.started) return;
    this.started = true;
    this.workers = Array.from({ length: this.concurrency }, () => this.work());
    this.renewer = setInterval(
      () =>
        void this.renewBuffered().catch((error) =>
          log().warn({ error: errorField(error) }, "could not renew the buffered claims"),
        ),
      Math.max(250, leaseMs() / 3),
    );
    this.renewer.unref();
  }

  /**
   * Events were stored: claim again, unless they are all of owners whose share already waits
   * in the buffer (the claim made when the buffer runs low finds them; claiming now would
   * only skip those owners and find nothing).
   */
  wake(owners?: string[]) {
    if (owners?.length && owners.every((o) => (this.buffer.get(o)?.length ?? 0) >= this.perOwner))
      return;
    this.pending = true;
    this.idle?.release();
  }

  get draining() {
    return this.stopping;
  }

  /** Runs going on now, per owner (for readiness and tests). */
  busy(): number {
    let n = 0;
    for (const set of this.running.values()) n += set.size;
    return n;
  }

  /**
   * Graceful stop: claim nothing more, hand back what waits in the buffer, let
   * running events finish for up to `graceMs`, then stop the rest and hand them
   * back too (queued, the attempt not charged), so another server or the next
   * start takes them at once instead of after their lease.
   */
  async drain(graceMs: number) {
    this.stopping = true;
    if (this.renewer) clearInterval(this.renewer);
    this.idle?.release();
    const waiting = [...this.buffer.values()].flat().map((b) => b.event);
    this.buffer.clear();
    await handBack([...waiting, ...this.orphans.splice(0)]).catch((e) =>
      log().warn({ error: errorField(e) }, "hand-back failed"),
    );
    const allDone = Promise.all(this.workers);
    const timer = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), graceMs).unref());
    if ((await Promise.race([allDone, timer])) === "timeout") {
      for (const set of this.running.values()) for (const control of set) control.stop("shutdown");
      await allDone;
    }
    // runs cut off by the database that ended meanwhile left their events here
    await handBack(this.orphans.splice(0)).catch((e) =>
      log().warn({ error: errorField(e) }, "hand-back failed"),
    );
    return { handedBack: waiting.length };
  }

  private async work() {
    while (!this.stopping) {
      const picked = this.pick();
      if (!picked) {
        await this.claimOrWait();
        continue;
      }
      const { event, control } = picked;
      const set = this.running.get(event.ownerId)!;
      try {
        if (!(await this.stillOurs(picked))) continue;
        // the trigger and bot read with the claim, while that read is recent
        const context =
          Date.now() - picked.read < RUN_CONTEXT_FRESH_MS ? picked.context : undefined;
        const maxTime = context?.trigger.maxTime ?? LIMIT_RANGES.maxTime.max;
        const outcome = await this.watch(
          attemptEvent(event, control, context),
          event,
          control,
          maxTime,
        );
        if (outcome === "orphaned") this.orphans.push(event);
      } catch (error) {
        log().error(
          { event: event.id, trigger: event.triggerId, error: errorField(error) },
          "unexpected error in the runner",
        );
      } finally {
        set.delete(control);
        if (!set.size) this.running.delete(event.ownerId);
        this.idle?.release(); // a slot freed up: an owner held back by its share may go now
      }
    }
  }

  /**
   * A run that does not end is given up, so that it cannot hold a worker for ever (seen once
   * after a database outage: eight runs never settled and the queue stood still). A stopped run
   * has a lease to end; any run has its trigger's maxTime (the model's and abilities' bound) and
   * two leases (the database work before and after). Given up, the worker goes back to the
   * pool and the run's signal is aborted. Its event is never handed back (that would give the
   * next claim the attempt number the run still holds, and let a write of the run that wakes up
   * later pass the claim's fence): its lease, no longer renewed, runs out and the next claim takes
   * it with the next attempt, charged, like a dead server's event.
   */
  private async watch(
    run: Promise<AttemptOutcome>,
    event: TriggerEvent,
    control: RunControl,
    maxTime: number,
  ): Promise<AttemptOutcome | "abandoned"> {
    let timer: NodeJS.Timeout | undefined;
    const overdue = new Promise<"abandoned">((resolve) => {
      timer = setInterval(() => {
        const now = performance.now();
        const stopped = control.stoppedAt !== null && now - control.stoppedAt > leaseMs();
        if (stopped || now - control.startedAt > maxTime + 2 * leaseMs()) resolve("abandoned");
      }, WATCH_MS);
      timer.unref();
    });
    try {
      const outcome = await Promise.race([run, overdue]);
      if (outcome !== "abandoned") return outcome;
      run.catch(() => {}); // it may still end, with nothing to record
      control.stop("stalled"); // no effect when it was stopped already: that reason stands
      control.finish();
      control.abandoned = true;
      const reason = control.stopped;
      metrics().processing.observe(
        { outcome: "abandoned" },
        (performance.now() - control.startedAt) / 1000,
      );
      log().warn(
        {
          event: event.id,
          reason,
          step: control.step,
          seconds: Math.round(performance.now() - control.startedAt) / 1000,
        },
        "run abandoned: it did not end in time; its worker is free again",
      );
      return "abandoned";
    } finally {
      clearInterval(timer);
    }
  }

  /** How many runs `owner` may hold now: its share while others wait, else all workers but one. */
  private allowance(owners: string[]) {
    return owners.length > 1 ? this.perOwner : Math.max(1, this.concurrency - 1);
  }

  /** The next event to run: owners in turn, each within its allowance. */
  private pick() {
    const owners = [...this.buffer.keys()];
    if (!owners.length) return undefined;
    const start = (owners.indexOf(this.lastOwner) + 1) % owners.length;
    for (let i = 0; i < owners.length; i++) {
      const owner = owners[(start + i) % owners.length];
      if ((this.running.get(owner)?.size ?? 0) >= this.allowance(owners)) continue;
      const queue = this.buffer.get(owner)!;
      const next = queue.shift()!;
      if (!queue.length) this.buffer.delete(owner);
      this.lastOwner = owner;
      // counted as running at once: a worker picking in the same moment sees it
      const control = new RunControl(next.event);
      this.running.set(owner, (this.running.get(owner) ?? new Set()).add(control));
      return { ...next, control };
    }
    return undefined;
  }

  /**
   * An event that waited in the buffer behind slow runs may be near the end of
   * its lease: renew it before starting, and leave it if another claim took it
   * over meanwhile (that holder runs it; this one would only duplicate work).
   */
  private async stillOurs({ event, at }: Buffered): Promise<boolean> {
    if (Date.now() - at < leaseMs() / 2) return true;
    try {
      return (await renewLease(event)) === "held";
    } catch {
      this.orphans.push(event); // the database is away: hand it back once it answers
      return false;
    }
  }

  /** Claims more (one claim at a time per process), or waits until woken or IDLE_POLL_MS pass. */
  private async claimOrWait() {
    const found = await (this.claiming ??= this.claim().finally(() => (this.claiming = null)));
    if (!found && !this.pending && !this.stopping) await this.waitIdle();
  }

  /**
   * Claims for the owners that could start something now: an owner with its
   * share already waiting in the buffer is left out, so a flood from one owner
   * cannot fill the buffer while another owner's events wait in the database.
   */
  private async claim(): Promise<boolean> {
    this.pending = false;
    if (this.orphans.length) {
      // A database outage is not the events' fault: they go back uncharged (fenced on the
      // attempt, so one that another server took over meanwhile is left alone).
      const orphans = this.orphans.splice(0);
      await handBack(orphans).catch(() => this.orphans.push(...orphans));
    }
    const full = [...this.buffer.entries()]
      .filter(([, queue]) => queue.length >= this.perOwner)
      .map(([owner]) => owner);
    try {
      await this.renewBuffered();
      const held = [...this.buffer.values()].flat().map((b) => b.event.id);
      // a few claims that each bring several events cost the database less than many small ones
      const { claimed, poisoned } = await claimBatch(this.concurrency * 2, this.concurrency, {
        owners: full,
        ids: held,
      });
      // every claimed event's trigger and bot in one read, not one per run (if that read
      // fails, each run reads its own)
      const contexts = await loadRunContexts(
        await getRunDb(),
        claimed.map((event) => event.triggerId),
      ).catch(() => new Map<string, RunContext>());
      const at = Date.now();
      for (const event of claimed) {
        if (this.stopping) {
          await handBack([event]);
          continue;
        }
        const entry = { event, at, read: at, context: contexts.get(event.triggerId) };
        this.buffer.set(event.ownerId, [...(this.buffer.get(event.ownerId) ?? []), entry]);
      }
      // after the claimed events are safe in the buffer: a failure here must not strand them
      if (poisoned.length)
        await notePoisoned(poisoned).catch((error) =>
          log().error({ error: errorField(error) }, "could not record the poison events' failure"),
        );
      return claimed.length > 0;
    } catch (error) {
      log().warn({ error: errorField(error) }, "could not claim events");
      await this.waitIdle(); // the database is unreachable: do not spin
      return false;
    }
  }

  /**
   * Claims waiting in the buffer are renewed before they run out (a claim that
   * lapsed while waiting would be taken again, and charged again); one that
   * was lost meanwhile is dropped. Called by each claim and by a timer (when
   * every worker is busy, no claim is made).
   */
  private async renewBuffered() {
    const due = [...this.buffer.values()].flat().filter((b) => Date.now() - b.at > leaseMs() / 3);
    if (!due.length) return;
    const held = await renewLeases(due.map((b) => b.event));
    const at = Date.now();
    for (const [owner, queue] of this.buffer) {
      const kept = queue
        .filter((b) => !due.includes(b) || held.has(b.event.id))
        .map((b) => (due.includes(b) ? { ...b, at } : b));
      if (kept.length) this.buffer.set(owner, kept);
      else this.buffer.delete(owner);
    }
  }

  /** Shared by every idle worker; ends after IDLE_POLL_MS or at the next `wake`. */
  private waitIdle(): Promise<void> {
    if (!this.idle) {
      let release!: () => void;
      const promise = new Promise<void>((resolve) => {
        const timer = setTimeout(() => release(), IDLE_POLL_MS);
        timer.unref();
        release = () => {
          clearTimeout(timer);
          if (this.idle?.promise === promise) this.idle = null;
          resolve();
        };
      });
      this.idle = { promise, release };
    }
    return this.idle.promise;
  }
}

const g = globalThis as unknown as { __inlineRunner?: InlineRunner };

/** One runner per process, however many bundles import this module. */
export function inlineRunner(): InlineRunner {
  g.__inlineRunner ??= new InlineRunner();
  return g.__inlineRunner;
}
