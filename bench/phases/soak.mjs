// Soak: a steady mixed load for a while (events at 50/s, API reads at 5/s, a trigger scheduled
// every minute) against one server with the inline runner on, and per minute the server's RSS,
// JavaScript heap, event-loop delay p99, the event endpoint's p99 and the backlog, with the slope
// of each over the last two thirds of the run. Nothing may grow without bound.
import http from "node:http";
import { payload, percentile } from "../lib/load.mjs";
import { setup, startServer } from "../lib/servers.mjs";

const EVENTS_PER_SECOND = 50;
const READS_PER_SECOND = 5;

/** Least-squares slope of `ys` per step. */
function slope(ys) {
  const n = ys.length;
  if (n < 2) return 0;
  const mx = (n - 1) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, x) => {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

/** A Prometheus text exposition's sample value (the first line of that name and labels). */
const sample = (text, name) => {
  const line = text.split("\n").find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(" ").at(-1)) : NaN;
};

/** Fills `f.soak` for `minutes` minutes on the database of DATABASE_URL (PGlite without it). */
export async function soak(f, { soakMinutes: minutes }) {
  process.env.METRICS_TOKEN ??= "bench-metrics-token";
  const server = await startServer({ inlineRunner: true });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const request = (url, { method = "GET", headers = {}, body } = {}) =>
    new Promise((resolve) => {
      const started = performance.now();
      const u = new URL(url);
      const req = http.request(
        { agent, host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers },
        (res) => {
          const chunks = [];
          res.on("data", (c) => chunks.push(c));
          res.on("end", () =>
            resolve({
              status: res.statusCode,
              ms: performance.now() - started,
              text: Buffer.concat(chunks).toString("utf8"),
            }),
          );
        },
      );
      // no answer: the status is 0 and the error's code says why (ECONNRESET, ECONNREFUSED...)
      req.on("error", (e) =>
        resolve({ status: `0 ${e.code ?? e.message}`, ms: performance.now() - started, text: "" }),
      );
      req.end(body);
    });
  try {
    const { trigger, api, token, botId } = await setup(server.base);
    // a schedule every minute, on its own trigger
    const scheduled = await api("/api/v1/integration/trigger/create", {
      botId,
      authenticate: false,
      schedule: "1m",
    });
    const eventHeaders = {
      "content-type": "application/json",
      authorization: `Bearer ${trigger.secret}`,
      "content-length": Buffer.byteLength(payload),
    };
    const reads = [
      `/api/v1/integration/trigger/${trigger.id}/event/list?take=20`,
      "/api/v1/integration/trigger/list?take=20",
      `/api/v1/integration/trigger/${trigger.id}/event/stats`,
      "/api/v1/conversation/list?take=20",
    ];
    const perMinute = [];
    let latencies = [];
    let failures = 0;
    /** Failed requests by status (0: no answer) and path, to say what failed. */
    const failed = {};
    const fail = (what, status) => {
      failures++;
      failed[`${status} ${what}`] = (failed[`${status} ${what}`] ?? 0) + 1;
    };
    const start = Date.now();
    const end = start + minutes * 60_000;
    let sent = 0;
    let readsSent = 0;
    const inFlight = new Set();
    const track = (p) => {
      inFlight.add(p);
      p.finally(() => inFlight.delete(p));
    };
    let nextMinute = start + 60_000;
    for (;;) {
      const over = Date.now() >= end;
      const elapsed = (Date.now() - start) / 1000;
      // open loop: what is due by now goes out now
      while (sent < elapsed * EVENTS_PER_SECOND) {
        sent++;
        track(
          request(trigger.eventUrl, { method: "POST", headers: eventHeaders, body: payload }).then(
            (r) => {
              if (r.status === 202) latencies.push(r.ms);
              else fail("event", r.status);
            },
          ),
        );
      }
      while (readsSent < elapsed * READS_PER_SECOND) {
        const path = reads[readsSent++ % reads.length];
        track(
          request(`${server.base}${path}`, { headers: { authorization: `Bearer ${token}` } }).then(
            (r) => {
              if (r.status !== 200) fail(path.split("?")[0], r.status);
            },
          ),
        );
      }
      if (Date.now() >= nextMinute || over) {
        nextMinute += 60_000;
        const metrics = await request(`${server.base}/api/metrics`, {
          headers: { authorization: `Bearer ${process.env.METRICS_TOKEN}` },
        });
        const row = {
          minute: perMinute.length + 1,
          rssMb: Math.round(server.rssMb()),
          heapMb: Math.round(sample(metrics.text, "nodejs_heap_size_used_bytes") / 1048576),
          loopDelayP99Ms: +(
            sample(metrics.text, "nodejs_eventloop_lag_p99_seconds") * 1000
          ).toFixed(1),
          p99Ms: latencies.length ? +percentile(latencies, 99).toFixed(1) : null,
          backlog: sample(metrics.text, "trigger_events_queued"),
          failures,
        };
        perMinute.push(row);
        console.log(`soak minute ${row.minute}: ${JSON.stringify(row)}`);
        latencies = [];
      }
      if (over) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await Promise.all(inFlight);
    const schedules = await api(`/api/v1/integration/trigger/${scheduled.id}/event/list?take=100`);
    // the slope over the last two thirds, after warm-up
    const tail = perMinute.slice(Math.floor(perMinute.length / 3));
    const slopes = Object.fromEntries(
      ["rssMb", "heapMb", "loopDelayP99Ms", "p99Ms", "backlog"].map((k) => [
        k,
        +slope(tail.map((r) => r[k])).toFixed(2),
      ]),
    );
    const first = tail[0]?.rssMb ?? 0;
    const last = tail.at(-1)?.rssMb ?? 0;
    f.soak = {
      minutes,
      perMinute,
      slopes,
      rssGrowth: first ? +((last - first) / first).toFixed(3) : 0,
      scheduledRuns: schedules.items.length,
      failures,
      failed,
      target: "RSS growth < 5% over the last two thirds; no slope that keeps climbing",
    };
  } finally {
    agent.destroy();
    await server.stop();
  }
}
