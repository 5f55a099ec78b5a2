import "server-only";
import type { TriggerEvent } from "@/db/schema";
import { claimBatch, LEASE_MS, renewLease } from "@/lib/processing/claim";
import { attemptEvent } from "@/lib/processing/process";
import { runScheduleTick } from "@/lib/schedules/tick";

const CLAIM_LIMIT = 16;
const CONCURRENCY = 4;
const IDLE_POLL_MS = 1000;
const TICK_MS = 10_000;

/**
 * The embedded job engine: the same lib/processing code as the Inngest
 * functions, in the server process. Woken at once when an event is stored
 * (no fixed sleep on the happy path); polls while idle for retries, other
 * servers' events and expired claims, so a restart re-claims everything
 * `queued` or stale `processing`.
 *
 * CONCURRENCY workers share a small buffer of claimed events. Whichever worker
 * finds it empty claims the next few (one claim at a time per process), so a
 * slow event holds up only its own worker, never the claiming of new ones.
 */
export class InlineRunner {
  private started = false;
  private stopped = false;
  /** Events were stored since the last claim began: claim again before idling. */
  private pending = false;
  private buffer: TriggerEvent[] = [];
  private claiming: Promise<boolean> | null = null;
  private idle: { promise: Promise<void>; release: () => void } | null = null;
  private tickTimer: NodeJS.Timeout | null = null;
  private workers: Promise<void>[] = [];

  start() {
    if (this.started) return;
    this.started = true;
    this.workers = Array.from({ length: CONCURRENCY }, () => this.work());
    const tick = () =>
      void runScheduleTick().catch((e) =>
        console.warn("[runner] schedule tick failed:", e instanceof Error ? e.message : e),
      );
    tick();
    this.tickTimer = setInterval(tick, TICK_MS);
    this.tickTimer.unref();
  }

  wake() {
    this.pending = true;
    this.idle?.release();
  }

  /** Lets running events finish; claimed events not started yet are re-claimed when their lease ends. */
  async stop() {
    this.stopped = true;
    if (this.tickTimer) clearInterval(this.tickTimer);
    this.idle?.release();
    await Promise.all(this.workers);
  }

  private async work() {
    while (!this.stopped) {
      const event = this.buffer.shift() ?? (await this.next());
      if (event && (await this.stillOurs(event)))
        await attemptEvent(event).catch((e) => console.error("[runner] unexpected error", e));
    }
  }

  /**
   * An event that waited in the buffer behind slow runs may be near the end of
   * its lease: renew it before starting, and leave it if another claim took it
   * over meanwhile (that holder runs it; this one would only duplicate work).
   */
  private async stillOurs(event: TriggerEvent): Promise<boolean> {
    if (!event.lockedUntil || event.lockedUntil.getTime() - Date.now() > LEASE_MS / 2) return true;
    try {
      return await renewLease(event);
    } catch {
      return true; // the database hiccuped: run it; the fenced final write still decides
    }
  }

  /** The next claimed event, or undefined after an idle wait (woken early by `wake`). */
  private async next(): Promise<TriggerEvent | undefined> {
    this.claiming ??= this.claim().finally(() => (this.claiming = null));
    const found = await this.claiming;
    if (this.buffer.length) return this.buffer.shift();
    if (!found && !this.pending && !this.stopped) await this.waitIdle();
    return undefined;
  }

  private async claim(): Promise<boolean> {
    this.pending = false;
    try {
      const rows = await claimBatch(CLAIM_LIMIT);
      this.buffer.push(...rows);
      return rows.length > 0;
    } catch (error) {
      console.warn(
        "[runner] could not claim events:",
        error instanceof Error ? error.message : error,
      );
      await this.waitIdle(); // the database is unreachable: do not spin
      return false;
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
