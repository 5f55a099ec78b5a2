// An open-loop load generator at an even rate: request i is due at start + i / rate,
// over a keep-alive pool of `connections` sockets. autocannon's overallRate sends each
// second's whole quota back to back at the start of the second (a burst of `rate`
// requests once a second), which measures burst queueing, not a fixed rate.
// Latency counts from the moment a request was due, so a slow server cannot hide its
// stalls by delaying the requests behind them (no coordinated omission).
import http from "node:http";

export async function pacedLoad({
  url,
  rate,
  connections,
  amount,
  method = "POST",
  headers = {},
  body = "",
}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(url);
  const payload = Buffer.from(body);
  const latencies = [];
  const statuses = {};
  let errors = 0;
  const start = performance.now() + 50;
  const inFlight = new Set();

  const send = (due) =>
    new Promise((resolve) => {
      const req = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname + target.search,
          method,
          headers: { ...headers, "content-length": payload.length },
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            latencies.push(performance.now() - due);
            statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
            resolve();
          });
        },
      );
      req.on("error", () => {
        errors++;
        resolve();
      });
      req.end(payload);
    });

  for (let i = 0; i < amount; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const p = send(due).then(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  agent.destroy();
  const seconds = (performance.now() - start) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  const at = (p) => +sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(1);
  const non2xx = Object.entries(statuses).reduce((n, [s, c]) => (s.startsWith("2") ? n : n + c), 0);
  return {
    requests: latencies.length,
    achievedRate: +(latencies.length / seconds).toFixed(1),
    p50: at(0.5),
    p99: at(0.99),
    max: at(1 - 1e-9),
    non2xx,
    errors,
    statuses,
  };
}
