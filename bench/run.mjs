// npm run bench - measures the production build: ingest vs a ceiling route,
// latency at a fixed rate, end-to-end time through the inline runner, deep
// cursor pages over 100k triggers, and server memory over 100k events.
// PostgreSQL when DATABASE_URL is set (a fresh database), PGlite otherwise.
// Prints a markdown table and writes bench/results/latest.json (git-ignored).
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { ensureBuild, freshDatabase } from "../e2e/fixtures/server-utils.mjs";
import { pacedLoad } from "./paced.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const quick = process.argv.includes("--quick"); // shorter runs for a smoke check
// --only=web (ingest, fixed rate, memory, listing) or --only=e2e (end to end) for one part
const only = process.argv.find((a) => a.startsWith("--only="))?.slice(7);
const DURATION = quick ? 5 : 20;
const E2E_EVENTS = quick ? 500 : 5000;
const TRIGGERS = quick ? 10_000 : 100_000;
const MEMORY_EVENTS = quick ? 10_000 : 100_000;

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function startServer({ inlineRunner }) {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "trigdash-bench-"));
  const db = process.env.DATABASE_URL
    ? await freshDatabase(process.env.DATABASE_URL, "trigdash_bench")
    : null;
  const child = spawn(
    path.join(root, "node_modules", ".bin", "next"),
    ["start", "-p", String(port), "-H", "127.0.0.1"],
    {
      cwd: root,
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        // the production build; "test" because the bench uses TEST_HOOKS (refused under production)
        NODE_ENV: "test",
        MAX_RATE_LIMIT_PER_SECOND: "100000",
        MAX_RATE_LIMIT_BURST: "100000",
        APP_SECRET: "bench-secret-bench-secret-bench-secret-0123",
        DATA_DIR: dataDir,
        DATABASE_URL: db?.url ?? "",
        INLINE_RUNNER: inlineRunner ? "true" : "false",
        TEST_HOOKS: "1",
        OPENAI_API_KEY: "",
        OPENAI_BASE_URL: "",
        ANTHROPIC_API_KEY: "",
      },
    },
  );
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    rssMb: () =>
      Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))[1]) / 1024,
    async stop() {
      child.kill("SIGKILL");
      await new Promise((r) => setTimeout(r, 300));
      await db?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function setup(base) {
  const email = `bench-${Date.now()}@example.test`;
  const password = "bench-password-123";
  let cookies = "";
  const jar = (res) =>
    res.headers.getSetCookie().forEach((c) => (cookies += `${c.split(";")[0]}; `));
  await fetch(`${base}/api/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  let res = await fetch(`${base}/api/auth/csrf`);
  jar(res);
  const { csrfToken } = await res.json();
  res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { cookie: cookies, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, email, password }),
    redirect: "manual",
  });
  jar(res);
  res = await fetch(`${base}/api/v1/token/create`, {
    method: "POST",
    headers: { cookie: cookies, origin: base, "content-type": "application/json" },
    body: '{"name":"bench"}',
  });
  const { token } = await res.json();
  const api = async (p, body) => {
    const r = await fetch(`${base}${p}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`${p}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  const { id: botId } = await api("/api/v1/bot/create", { name: "bench", model: "echo" });
  const trigger = await api("/api/v1/integration/trigger/create", {
    botId,
    name: "bench",
    authenticate: true,
    rateLimitPerSecond: 100_000,
    rateLimitBurst: 100_000,
  });
  return { api, token, botId, trigger };
}

const payload = JSON.stringify({ text: "bench event", data: "x".repeat(1024 - 40) });

function cannon(opts) {
  return new Promise((resolve, reject) => {
    autocannon({ method: "POST", body: payload, ...opts }, (err, result) =>
      err ? reject(err) : resolve(result),
    );
  });
}

const summary = (r) => ({
  rps: Math.round(r.requests.average),
  p50: r.latency.p50,
  p99: r.latency.p99,
  non2xx: r.non2xx,
  errors: r.errors + r.timeouts,
  requests: r.requests.total,
});

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function timeRequests(url, headers, n) {
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

const results = {
  date: new Date().toISOString(),
  database: process.env.DATABASE_URL ? "PostgreSQL" : "PGlite",
  cpus: os.cpus().length,
  node: process.version,
  figures: {},
};
const f = results.figures;

ensureBuild(root);

// 1-3: web tier (inline runner off, so processing does not share the CPU)
if (only !== "e2e") {
  const server = await startServer({ inlineRunner: false });
  try {
    const { trigger, token, botId, api } = await setup(server.base);
    const headers = {
      "content-type": "application/json",
      authorization: `Bearer ${trigger.secret}`,
    };
    await cannon({ url: trigger.eventUrl, connections: 32, duration: 3, headers }); // warm-up
    const ingest = summary(
      await cannon({ url: trigger.eventUrl, connections: 32, duration: DURATION, headers }),
    );
    const ceiling = summary(
      await cannon({
        url: `${server.base}/api/test/ceiling`,
        connections: 32,
        duration: DURATION,
        headers,
      }),
    );
    const fixed = await pacedLoad({
      url: trigger.eventUrl,
      rate: 200,
      connections: 8,
      amount: 200 * DURATION,
      headers,
      body: payload,
    });
    // the same average rate as autocannon sends it: 200 requests back to back at the start of each second
    const bursts = summary(
      await cannon({
        url: trigger.eventUrl,
        connections: 8,
        duration: DURATION,
        overallRate: 200,
        headers,
      }),
    );
    f.ingest = {
      ...ingest,
      ceilingRps: ceiling.rps,
      ceilingP99: ceiling.p99,
      ratio: +(ingest.rps / ceiling.rps).toFixed(2),
      target: ">= 0.5 of ceiling, 0 non-2xx",
    };
    f.fixedRate = { ...fixed, target: "p99 <= 50 ms at 200 events/s" };
    f.bursts = {
      ...bursts,
      note: "autocannon overallRate=200: one burst of 200 a second; reported, no target",
    };

    // 4: memory over the ingest path
    const sendMany = (amount) =>
      cannon({ url: trigger.eventUrl, connections: 16, amount, headers });
    const sentSoFar = ingest.requests + fixed.requests + bursts.requests;
    await sendMany(Math.max(1, MEMORY_EVENTS / 2 - sentSoFar));
    const rssHalf = server.rssMb();
    await sendMany(MEMORY_EVENTS / 2);
    const rssFull = server.rssMb();
    f.memory = {
      rssMbAtHalf: +rssHalf.toFixed(1),
      rssMbAtFull: +rssFull.toFixed(1),
      growth: +((rssFull - rssHalf) / rssHalf).toFixed(3),
      events: MEMORY_EVENTS,
      target: "growth < 10% between 50k and 100k events",
    };

    // 3: listing over 100k triggers
    await api("/api/test/seed-triggers", { botId, count: TRIGGERS });
    const auth = { authorization: `Bearer ${token}` };
    let cursor;
    for (let seen = 0; seen < TRIGGERS / 2; seen += 100) {
      const page = await api(
        `/api/v1/integration/trigger/list?take=100${cursor ? `&cursor=${cursor}` : ""}`,
      );
      cursor = page.cursor;
    }
    const first = await timeRequests(
      `${server.base}/api/v1/integration/trigger/list?take=20`,
      auth,
      200,
    );
    const deep = await timeRequests(
      `${server.base}/api/v1/integration/trigger/list?take=20&cursor=${cursor}`,
      auth,
      200,
    );
    f.listing = {
      triggers: TRIGGERS,
      firstP50: +first.p50.toFixed(1),
      firstP95: +first.p95.toFixed(1),
      deepP50: +deep.p50.toFixed(1),
      deepP95: +deep.p95.toFixed(1),
      ratio: +(deep.p95 / first.p95).toFixed(2),
      target: "deep/first <= 1.5, p95 <= 20 ms",
    };
  } finally {
    await server.stop();
  }
}

// 2: end to end through the inline runner with the echo model
if (only !== "web") {
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

const rows = [
  f.ingest && [
    "Ingest, 32 connections, 1 KiB JSON",
    `${f.ingest.rps} rps (ceiling ${f.ingest.ceilingRps}, ratio ${f.ingest.ratio}), p50 ${f.ingest.p50} ms, p99 ${f.ingest.p99} ms, non-2xx ${f.ingest.non2xx}`,
    f.ingest.target,
    f.ingest.ratio >= 0.5 && f.ingest.non2xx === 0,
  ],
  f.fixedRate && [
    "Ingest at an even 200 events/s, 8 connections",
    `p50 ${f.fixedRate.p50} ms, p99 ${f.fixedRate.p99} ms, achieved ${f.fixedRate.achievedRate}/s, non-2xx ${f.fixedRate.non2xx}`,
    f.fixedRate.target,
    f.fixedRate.p99 <= 50 && f.fixedRate.non2xx === 0 && f.fixedRate.errors === 0,
  ],
  f.bursts && [
    "Ingest in bursts of 200 once a second (autocannon overallRate)",
    `p50 ${f.bursts.p50} ms, p99 ${f.bursts.p99} ms, non-2xx ${f.bursts.non2xx}`,
    "reported only",
    null,
  ],
  f.endToEnd && [
    `End to end, ${f.endToEnd.events} events at an even 100/s, echo model`,
    `p50 ${f.endToEnd.p50} ms, p99 ${f.endToEnd.p99} ms, drain ${f.endToEnd.drainPerSecond}/s`,
    f.endToEnd.target,
    f.endToEnd.p50 <= 50,
  ],
  f.listing && [
    `Listing, ${f.listing.triggers} triggers`,
    `first p95 ${f.listing.firstP95} ms, deep (50%) p95 ${f.listing.deepP95} ms, ratio ${f.listing.ratio}`,
    f.listing.target,
    f.listing.ratio <= 1.5 && f.listing.deepP95 <= 20 && f.listing.firstP95 <= 20,
  ],
  f.memory && [
    `Memory, ${f.memory.events} events`,
    `RSS ${f.memory.rssMbAtHalf} MB -> ${f.memory.rssMbAtFull} MB (${(f.memory.growth * 100).toFixed(1)}%)`,
    f.memory.target,
    f.memory.growth < 0.1,
  ],
].filter(Boolean);
const table = [
  `Benchmarks: ${results.database}, ${results.cpus} cores, Node ${results.node}, ${results.date}${quick ? " (quick run)" : ""}`,
  "",
  "| figure | measured | target | met |",
  "|---|---|---|---|",
  ...rows.map(
    ([a, b, c, d]) => `| ${a} | ${b} | ${c} | ${d === null ? "-" : d ? "yes" : "**no**"} |`,
  ),
].join("\n");
console.log(`\n${table}\n`);
mkdirSync(path.join(root, "bench", "results"), { recursive: true });
writeFileSync(
  path.join(root, "bench", "results", "latest.json"),
  JSON.stringify({ ...results, table }, null, 2),
);
