import "server-only";
import client from "prom-client";

// One registry per process (Next.js bundles each route apart, so module state is not enough).
type Metrics = ReturnType<typeof create>;
const g = globalThis as unknown as { __triggerMetrics?: Metrics };

const SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/** State only the database or the runner knows, read when Prometheus scrapes. */
export type ScrapeSources = {
  queue: () => Promise<{ depth: number; oldestAgeSeconds: number; waiting: number }>;
  busyWorkers: () => number;
};
let sources: ScrapeSources | null = null;
export const setScrapeSources = (s: ScrapeSources) => (sources = s);

function create() {
  const registers = [new client.Registry()];
  const [registry] = registers;
  client.collectDefaultMetrics({ register: registry });
  const waiting = new client.Gauge({
    name: "trigger_events_waiting",
    help: "Events whose run waits for a decision on an ability call (no worker held)",
    registers,
  });
  const oldest = new client.Gauge({
    name: "trigger_events_oldest_queued_age_seconds",
    help: "Age of the oldest queued event (0 when none is queued)",
    registers,
  });
  return {
    registry,
    eventsReceived: new client.Counter({
      name: "trigger_events_received_total",
      help: "Deliveries to event URLs by outcome: 202 (stored), duplicate, filtered, handshake, or the error status",
      labelNames: ["outcome"] as const,
      registers,
    }),
    processing: new client.Histogram({
      name: "trigger_event_processing_seconds",
      help: "One processing attempt, claim to outcome",
      labelNames: ["outcome"] as const,
      buckets: SECONDS,
      registers,
    }),
    endToEnd: new client.Histogram({
      name: "trigger_event_end_to_end_seconds",
      help: "Arrival to final status (completed or failed)",
      labelNames: ["status"] as const,
      buckets: SECONDS,
      registers,
    }),
    queueDepth: new client.Gauge({
      name: "trigger_events_queued",
      help: "Events waiting to be processed",
      registers,
      async collect() {
        if (!sources) return;
        const q = await sources.queue();
        this.set(q.depth);
        oldest.set(q.oldestAgeSeconds);
        waiting.set(q.waiting);
      },
    }),
    oldest,
    waiting,
    busyWorkers: new client.Gauge({
      name: "trigger_runner_busy_workers",
      help: "Events this server's inline runner is processing now",
      registers,
      collect() {
        this.set(sources?.busyWorkers() ?? 0);
      },
    }),
    modelCalls: new client.Counter({
      name: "trigger_model_calls_total",
      help: "Calls to a model, by model",
      labelNames: ["model"] as const,
      registers,
    }),
    modelTokens: new client.Counter({
      name: "trigger_model_tokens_total",
      help: "Tokens the models reported, by model and kind (input, output)",
      labelNames: ["model", "kind"] as const,
      registers,
    }),
    dryRunTokens: new client.Counter({
      name: "trigger_dry_run_tokens_total",
      help: "Tokens dry runs and test runs used (apart from events' usage), by model and kind",
      labelNames: ["model", "kind"] as const,
      registers,
    }),
    abilityCalls: new client.Counter({
      name: "trigger_ability_calls_total",
      help: "Ability (tool) calls by outcome: ok, error, invalid_input",
      labelNames: ["outcome"] as const,
      registers,
    }),
    abilityDuration: new client.Histogram({
      name: "trigger_ability_call_duration_seconds",
      help: "Ability (tool) call duration by outcome",
      labelNames: ["outcome"] as const,
      buckets: SECONDS,
      registers,
    }),
  };
}

export const metrics = (): Metrics => (g.__triggerMetrics ??= create());
