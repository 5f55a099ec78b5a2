// Growth: the charts, lists and end to end with an empty history, then with HISTORY past events
// and messages on the same trigger (filled by SQL through a test hook, then rolled up).
import { pacedLoad } from "../paced.mjs";
import { payload, percentile, timeRequests } from "../lib/load.mjs";
import { setup, startServer } from "../lib/servers.mjs";

/** Fills `f.history`. */
export async function history(f, opts) {
  const { HISTORY } = opts;
  const server = await startServer({ inlineRunner: true });
  try {
    const { trigger, api, token } = await setup(server.base);
    const auth = { authorization: `Bearer ${token}` };
    const headers = {
      "content-type": "application/json",
      authorization: `Bearer ${trigger.secret}`,
    };
    const measure = async () => {
      // end to end through the runner: 200 events at an even 50/s
      const since = new Date().toISOString();
      await pacedLoad({
        url: trigger.eventUrl,
        rate: 50,
        connections: 4,
        amount: 200,
        headers,
        body: payload,
      });
      let latencies = [];
      for (;;) {
        const page = await api(
          `/api/v1/integration/trigger/${trigger.id}/event/list?take=100&from=${encodeURIComponent(since)}`,
        );
        const items = page.items;
        if (items.length >= 100 && items.every((e) => e.status === "completed")) {
          latencies = items.map((e) => e.latencyMs);
          break;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      const endToEndP50 = percentile(latencies, 50);
      // a conversation to read: the newest of the trigger's
      const convs = await api(`/api/v1/conversation/list?triggerId=${trigger.id}&take=1`);
      const paths = {
        charts: `/api/v1/integration/trigger/${trigger.id}/event/stats`,
        usage: `/api/v1/integration/trigger/${trigger.id}/usage`,
        overview: "/api/v1/account/overview",
        events: `/api/v1/integration/trigger/${trigger.id}/event/list?take=20`,
        conversations: `/api/v1/conversation/list?triggerId=${trigger.id}&take=20`,
        messages: `/api/v1/conversation/${convs.items[0]?.id}/message/list?take=20`,
      };
      const out = { endToEndP50 };
      for (const [name, p] of Object.entries(paths))
        out[name] = +(await timeRequests(`${server.base}${p}`, auth, 100)).p95.toFixed(1);
      return out;
    };
    const empty = await measure();
    const fill = await api("/api/test/seed-history", { triggerId: trigger.id, events: HISTORY });
    const full = await measure();
    f.history = {
      events: HISTORY,
      fillSeconds: +(fill.ms / 1000).toFixed(1),
      empty,
      full,
      ratios: Object.fromEntries(
        Object.keys(empty).map((k) => [k, +(full[k] / Math.max(empty[k], 1)).toFixed(2)]),
      ),
      target: "every figure within 1.5x of the empty database; charts p95 < 50 ms",
    };
  } finally {
    await server.stop();
  }
}
