// Load and timing helpers: autocannon for full speed, pacedLoad (../paced.mjs) for a fixed rate.
import autocannon from "autocannon";

export const payload = JSON.stringify({ text: "bench event", data: "x".repeat(1024 - 40) });

export function cannon(opts) {
  return new Promise((resolve, reject) => {
    autocannon({ method: "POST", body: payload, ...opts }, (err, result) =>
      err ? reject(err) : resolve(result),
    );
  });
}

export const summary = (r) => ({
  rps: Math.round(r.requests.average),
  p50: r.latency.p50,
  p99: r.latency.p99,
  non2xx: r.non2xx,
  errors: r.errors + r.timeouts,
  requests: r.requests.total,
});

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function timeRequests(url, headers, n) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = await fetch(url, { headers });
    await r.arrayBuffer();
    if (!r.ok) throw new Error(`${url}: ${r.status}`);
    times.push(performance.now() - t);
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}
