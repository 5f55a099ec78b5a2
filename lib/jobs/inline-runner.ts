import "server-only";
import { claimBatch } from "@/lib/processing/claim";
import { attemptEvent } from "@/lib/processing/process";
import { runScheduleTick } from "@/lib/schedules/tick";

const BATCH = 16;
const CONCURRENCY = 4;
const IDLE_POLL_MS = 1000;
const TICK_MS = 10_000;

/**
 * The embedded job engine: the same lib/processing code as the Inngest
 * functions, in the server process. Woken at once when an event is stored
 * (no fixed sleep on the happy path); polls while idle for retries, other
 * servers' events and expired claims, so a restart re-claims everything
 * `queued` or stale `processing`.
 */
export class InlineRunner {
  private started = false;
  private stopped = false;
  private pending = false;
  private wakeUp: (() => void) | null = null;
  private tickTimer: NodeJS.Timeout | null = null;
  private loopDone: Promise<void> = Promise.resolve();

  start() {
    if (this.started) return;
    this.started = true;
    this.loopDone = this.loop();
    const tick = () => void runScheduleTick().catch((e) => console.warn("[runner] schedule tick failed:", e instanceof Error ? e.message : e));
    tick();
    this.tickTimer = setInterval(tick, TICK_MS);
    this.tickTimer.unref();
  }

  wake() {
    this.pending = true;
    this.wakeUp?.();
  }

  async stop() {
    this.stopped = true;
    if (this.tickTimer) clearInterval(this.tickTimer);
    this.wakeUp?.();
    await this.loopDone;
  }

  private async loop() {
    while (!this.stopped) {
      this.pending = false;
      let batch;
      try {
        batch = await claimBatch(BATCH);
      } catch (error) {
        console.warn("[runner] could not claim events:", error instanceof Error ? error.message : error);
        await this.sleep(IDLE_POLL_MS);
        continue;
      }
      if (batch.length) {
        await runWithLimit(batch, CONCURRENCY, attemptEvent);
        continue;
      }
      if (!this.pending) await this.sleep(IDLE_POLL_MS);
    }
  }

  private sleep(ms: number) {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = null;
        done();
      };
    });
  }
}

async function runWithLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<unknown>) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item).catch((e) => console.error("[runner] unexpected error", e));
    }
  });
  await Promise.all(workers);
}

const g = globalThis as unknown as { __inlineRunner?: InlineRunner };

/** One runner per process, however many bundles import this module. */
export function inlineRunner(): InlineRunner {
  g.__inlineRunner ??= new InlineRunner();
  return g.__inlineRunner;
}
