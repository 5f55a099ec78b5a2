// End to end through the inline runner with the echo model: an even 100 events/s.
import { pacedLoad } from "../paced.mjs";
import { payload, percentile } from "../lib/load.mjs";
import { setup, startServer } from "../lib/servers.mjs";

/** Fills `f.endToEnd`. */
export async function endToEnd(f, opts) {
  const { E2E_EVENTS } = opts;
  const server = await startServer({ inlineRunner: true });
  try {
    const { trigger, api } = await setup(server.base);
    const headers = {
      "content-type": "application/json",
      authorization: `Bearer ${trigger.secret}`,
    };
    const started = Date.now();
    const sent = await pacedLoad({
      url: trigger.eventUrl,
      rate: 100,
      connections: 4,
      amount: E2E_EVENTS,
      headers,
      body: payload,
    });
    if (sent.non2xx || sent.errors)
      throw new Error(`end to end: ${sent.non2xx} non-2xx, ${sent.errors} errors while sending`);
    const latencies = [];
    let pending = true;
    while (pending) {
      latencies.length = 0;
      let c;
      let unfinished = 0;
      do {
        const page = await api(
          `/api/v1/integration/trigger/${trigger.id}/event/list?take=100${c ? `&cursor=${c}` : ""}`,
        );
        for (const e of page.items) {
          if (e.status === "completed") latencies.push(e.latencyMs);
          else unfinished++;
        }
        c = page.cursor;
      } while (c);
      pending = unfinished > 0;
      if (pending) await new Promise((r) => setTimeout(r, 500));
    }
    const seconds = (Date.now() - started) / 1000;
    f.endToEnd = {
      events: latencies.length,
      sendRate: 100,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      drainPerSecond: +(latencies.length / seconds).toFixed(1),
      target: "p50 <= 50 ms",
    };
  } finally {
    await server.stop();
  }
}
