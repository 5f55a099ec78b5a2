// npm run bench - measures the production build against a bare Next.js app of the
// same version (bench/bare, its own process): ingest and an in-app ceiling route
// as ratios of the bare app, alternating bare / ours twice; latency at a fixed
// rate beside the bare app's; end-to-end time through the inline runner; deep
// cursor pages over 100k triggers; server memory over 100k events; and the
// footprint (RSS after start-up and after 10,000 processed events) of the bare
// app, the embedded server and the PostgreSQL server.
// PostgreSQL when DATABASE_URL is set (a fresh database), PGlite otherwise.
// Prints a markdown table and writes bench/results/latest.json (git-ignored).
import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import postgres from "postgres";
import { ensureBuild, freshDatabase } from "../e2e/fixtures/server-utils.mjs";
import { pacedLoad } from "./paced.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const quick = process.argv.includes("--quick"); // shorter runs for a smoke check
// --only=web (ingest, fixed rate, memory, listing), --only=e2e (end to end) or
// --only=footprint for one part
const only = process.argv.find((a) => a.startsWith("--only="))?.slice(7);
const DURATION = quick ? 5 : 20;
const E2E_EVENTS = quick ? 500 : 5000;
const TRIGGERS = quick ? 10_000 : 100_000;
const MEMORY_EVENTS = quick ? 10_000 : 100_000;
// --history N: past events (and as many messages) on the trigger for the growth figures
const historyArg = process.argv.find((a) => a.startsWith("--history"));
const HISTORY = historyArg
  ? Number(historyArg.split("=")[1] ?? process.argv[process.argv.indexOf(historyArg) + 1])
  : quick
    ? 100_000
    : 1_000_000;

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

// the product's server runs with the Node options `npm start` gives it (package.json "config")
const serverNodeOptions = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).config
  .nodeOptions;

function dirBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "pg_wal") continue;
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return total;
}

const rssOf = (pid) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;

async function waitHealthy(url, init) {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url, init)).ok) return;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within 60 s`);
}

/** bench/bare: built once (again when its sources change), started as its own process. */
async function startBare() {
  const dir = path.join(root, "bench", "bare");
  const buildId = path.join(dir, ".next", "BUILD_ID");
  const sources = ["app/ingest/route.js", "instrumentation.js", "next.config.mjs"];
  const changed = Math.max(...sources.map((s) => statSync(path.join(dir, s)).mtimeMs));
  if (!existsSync(buildId) || statSync(buildId).mtimeMs < changed) {
    const built = spawnSync(path.join(root, "node_modules", ".bin", "next"), ["build", dir], {
      cwd: root,
      stdio: "inherit",
    });
    if (built.status !== 0) throw new Error("building bench/bare failed");
  }
  const port = await freePort();
  const child = spawn(
    path.join(root, "node_modules", ".bin", "next"),
    ["start", dir, "-p", String(port), "-H", "127.0.0.1"],
    {
      cwd: root,
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, NODE_ENV: "production" },
    },
  );
  const base = `http://127.0.0.1:${port}`;
  await waitHealthy(`${base}/ingest`, { method: "POST", body: "{}" });
  return {
    base,
    url: `${base}/ingest`,
    rssMb: () => rssOf(child.pid),
    async stop() {
      child.kill("SIGKILL");
      await new Promise((r) => setTimeout(r, 300));
    },
  };
}

async function startServer({ inlineRunner, databaseUrl = process.env.DATABASE_URL }) {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "trigdash-bench-"));
  const db = databaseUrl ? await freshDatabase(databaseUrl, "trigdash_bench") : null;
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
        NODE_OPTIONS: `${serverNodeOptions} ${process.env.NODE_OPTIONS ?? ""}`,
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
  await waitHealthy(`${base}/api/health`);
  return {
    base,
    rssMb: () => rssOf(child.pid),
    /** Bytes the database holds, WAL left out (PostgreSQL's own size, or PGlite's files). */
    async diskBytes() {
      if (!db) return dirBytes(path.join(dataDir, "pglite"));
      const sql = postgres(db.url, { max: 1, onnotice: () => {} });
      const [{ size }] = await sql`select pg_database_size(current_database())::bigint as size`;
      await sql.end();
      return Number(size);
    },
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
if (only === undefined || only === "web") {
  const server = await startServer({ inlineRunner: false });
  try {
    const { trigger, token, botId, api } = await setup(server.base);
    const headers = {
      "content-type": "application/json",
      authorization: `Bearer ${trigger.secret}`,
    };
    // 1: ingest against the bare app, alternating bare / ours twice in one run
    const bare = await startBare();
    const rounds = [];
    let fixed;
    let bareFixed;
    try {
      await cannon({ url: bare.url, connections: 32, duration: 3, headers }); // warm-up
      await cannon({ url: trigger.eventUrl, connections: 32, duration: 3, headers });
      for (let round = 0; round < 2; round++) {
        const load = (url) => cannon({ url, connections: 32, duration: DURATION, headers });
        const bareRun = summary(await load(bare.url));
        const ingest = summary(await load(trigger.eventUrl));
        const ceiling = summary(await load(`${server.base}/api/test/ceiling`));
        rounds.push({ bare: bareRun, ingest, ceiling });
      }
      // 2: an even 200 events/s, the bare app first, then ours
      const paced = (url) =>
        pacedLoad({
          url,
          rate: 200,
          connections: 8,
          amount: 200 * DURATION,
          headers,
          body: payload,
        });
      bareFixed = await paced(bare.url);
      fixed = await paced(trigger.eventUrl);
    } finally {
      await bare.stop();
    }
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
    const ratio = (a, b) => +(a / b).toFixed(2);
    f.ingest = {
      rounds: rounds.map((r) => ({
        bareRps: r.bare.rps,
        ingestRps: r.ingest.rps,
        ceilingRps: r.ceiling.rps,
        ingestRatio: ratio(r.ingest.rps, r.bare.rps),
        ceilingRatio: ratio(r.ceiling.rps, r.bare.rps),
        ingestP99: r.ingest.p99,
        bareP99: r.bare.p99,
        non2xx: r.ingest.non2xx + r.ingest.errors,
      })),
      target: "ingest / bare >= 0.8 (acceptance 0.6), 0 non-2xx",
    };
    f.ingest.ratio = Math.min(...f.ingest.rounds.map((r) => r.ingestRatio));
    f.ingest.non2xx = f.ingest.rounds.reduce((a, r) => a + r.non2xx, 0);
    f.fixedRate = {
      ...fixed,
      bareP50: bareFixed.p50,
      bareP99: bareFixed.p99,
      p99Ratio: ratio(fixed.p99, bareFixed.p99),
      target: "p99 <= 2x the bare app's and <= 50 ms at 200 events/s",
    };
    f.bursts = {
      ...bursts,
      note: "autocannon overallRate=200: one burst of 200 a second; reported, no target",
    };
    const ingestSent = rounds.reduce((a, r) => a + r.ingest.requests, 0);

    // 4: memory over the ingest path
    const sendMany = (amount) =>
      cannon({ url: trigger.eventUrl, connections: 16, amount, headers });
    const sentSoFar = ingestSent + fixed.requests + bursts.requests;
    await sendMany(Math.max(16, MEMORY_EVENTS / 2 - sentSoFar));
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
if (only === undefined || only === "e2e") {
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

// 4: growth: the charts, lists and end to end with an empty history, then with HISTORY past
// events and messages on the same trigger (filled by SQL through a test hook, then rolled up)
if (only === undefined || only === "history") {
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

// 5: footprint: RSS after start-up and after 10,000 events processed (echo model)
if (only === undefined || only === "footprint") {
  const FOOTPRINT_EVENTS = quick ? 2000 : 10_000;
  const settle = () => new Promise((r) => setTimeout(r, 2000));
  const send = (url, headers) =>
    cannon({ url, connections: 16, amount: FOOTPRINT_EVENTS, headers });
  f.footprint = {
    events: FOOTPRINT_EVENTS,
    target: "embedded <= 400 MB after start-up and after the events",
  };
  const bare = await startBare();
  try {
    await settle();
    const atStart = bare.rssMb();
    await send(bare.url, { "content-type": "application/json" });
    await settle();
    f.footprint.bare = { atStart: Math.round(atStart), after: Math.round(bare.rssMb()) };
  } finally {
    await bare.stop();
  }
  const postgresUrl = process.env.DATABASE_URL ?? process.env.BENCH_POSTGRES_URL;
  for (const [name, databaseUrl] of [
    ["embedded", ""],
    ["postgres", postgresUrl],
  ]) {
    if (databaseUrl === undefined) continue;
    const server = await startServer({ inlineRunner: true, databaseUrl });
    try {
      await settle();
      const atStart = server.rssMb();
      const { trigger, api } = await setup(server.base);
      const diskBefore = await server.diskBytes();
      const started = Date.now();
      const sent = await send(trigger.eventUrl, {
        "content-type": "application/json",
        authorization: `Bearer ${trigger.secret}`,
      });
      if (sent.non2xx) throw new Error(`footprint: ${sent.non2xx} events refused`);
      const pending = async (status) =>
        (await api(`/api/v1/integration/trigger/${trigger.id}/event/list?status=${status}&take=1`))
          .items.length;
      while ((await pending("queued")) + (await pending("processing")) > 0)
        await new Promise((r) => setTimeout(r, 500));
      const seconds = (Date.now() - started) / 1000;
      const diskAfter = await server.diskBytes();
      await settle();
      f.footprint[name] = {
        atStart: Math.round(atStart),
        after: Math.round(server.rssMb()),
        // accepted and completed as fast as 16 senders and the runner go: the single-box rate
        completedPerSecond: +(FOOTPRINT_EVENTS / seconds).toFixed(1),
        // the event (1 KiB payload) with its conversation's user and bot messages
        bytesPerEvent: Math.round((diskAfter - diskBefore) / FOOTPRINT_EVENTS),
      };
    } finally {
      await server.stop();
    }
  }
}

const rows = [
  ...(f.ingest?.rounds ?? []).map((r, i) => [
    `Ingest round ${i + 1}, 32 connections, 1 KiB JSON`,
    `bare app ${r.bareRps} rps; ours ${r.ingestRps} rps (**${r.ingestRatio}** of bare), p99 ${r.ingestP99} ms (bare ${r.bareP99} ms); in-app ceiling ${r.ceilingRps} rps (${r.ceilingRatio} of bare); non-2xx ${r.non2xx}`,
    f.ingest.target,
    r.ingestRatio >= 0.8 && r.non2xx === 0,
  ]),
  f.fixedRate && [
    "Ingest at an even 200 events/s, 8 connections",
    `p50 ${f.fixedRate.p50} ms, p99 ${f.fixedRate.p99} ms (bare app p50 ${f.fixedRate.bareP50} ms, p99 ${f.fixedRate.bareP99} ms: ${f.fixedRate.p99Ratio}x), achieved ${f.fixedRate.achievedRate}/s, non-2xx ${f.fixedRate.non2xx}`,
    f.fixedRate.target,
    f.fixedRate.p99 <= 50 &&
      f.fixedRate.p99Ratio <= 2 &&
      f.fixedRate.non2xx === 0 &&
      f.fixedRate.errors === 0,
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
  f.history && [
    `Growth: p95 (ms) empty -> with ${f.history.events.toLocaleString()} past events and messages on the trigger`,
    Object.keys(f.history.empty)
      .map((k) => `${k} ${f.history.empty[k]} -> ${f.history.full[k]} (${f.history.ratios[k]}x)`)
      .join("; "),
    f.history.target,
    Object.values(f.history.ratios).every((r) => r <= 1.5) && f.history.full.charts < 50,
  ],
  f.memory && [
    `Memory, ${f.memory.events} events`,
    `RSS ${f.memory.rssMbAtHalf} MB -> ${f.memory.rssMbAtFull} MB (${(f.memory.growth * 100).toFixed(1)}%)`,
    f.memory.target,
    f.memory.growth < 0.1,
  ],
  f.footprint && [
    `Footprint (RSS) after start-up / after ${f.footprint.events} events processed`,
    [
      `bare app ${f.footprint.bare.atStart} / ${f.footprint.bare.after} MB`,
      `embedded ${f.footprint.embedded.atStart} / ${f.footprint.embedded.after} MB`,
      f.footprint.postgres &&
        `PostgreSQL ${f.footprint.postgres.atStart} / ${f.footprint.postgres.after} MB`,
    ]
      .filter(Boolean)
      .join("; "),
    f.footprint.target,
    f.footprint.embedded.atStart <= 400 && f.footprint.embedded.after <= 400,
  ],
  f.footprint && [
    `Single box: ${f.footprint.events} events sent at full speed, accepted and completed (echo model)`,
    ["embedded", "postgres"]
      .filter((k) => f.footprint[k])
      .map(
        (k) =>
          `${k === "embedded" ? "embedded" : "PostgreSQL"} ${f.footprint[k].completedPerSecond} events/s, ${f.footprint[k].bytesPerEvent} bytes on disk per event`,
      )
      .join("; "),
    "reported (aim: >= 150 events/s on 2 cores)",
    null,
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
