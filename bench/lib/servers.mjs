// The servers the bench measures: the product's production build (embedded or PostgreSQL, inline
// runner on or off) and the bare Next.js app it is compared with, each its own process.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { freshDatabase } from "../../e2e/fixtures/server-utils.mjs";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

// the product's server runs with the Node options `npm start` gives it (package.json "config"):
// the embedded ones too when no DATABASE_URL is set
const { nodeOptions: serverNodeOptions, embeddedNodeOptions } = JSON.parse(
  readFileSync(path.join(root, "package.json"), "utf8"),
).config;

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

const TICKS_PER_SECOND = 100; // USER_HZ on Linux
/** /proc/<pid>/stat's fields from the third on (after the command name, which may hold ") "). */
const statOf = (pid) => {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return {
    name: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")),
    fields: stat.slice(stat.lastIndexOf(")") + 2).split(" "),
  };
};

/** CPU seconds (user + system) a process has used; with `reaped`, its ended children's too. */
const cpuOf = (pid, reaped = false) => {
  const { fields } = statOf(pid);
  const own = Number(fields[11]) + Number(fields[12]); // utime, stime
  const children = reaped ? Number(fields[13]) + Number(fields[14]) : 0; // cutime, cstime
  return (own + children) / TICKS_PER_SECOND;
};

/**
 * Where the machine's CPU goes: this machine's PostgreSQL backends (processes named postgres:
 * none when the database is elsewhere), and the machine's busy and total core-seconds
 * (/proc/stat). Read before and after a load; `since` gives the differences.
 */
export function cpuSnapshot() {
  // the backends that ended meanwhile (idle connections closed, autovacuum workers) count in
  // their postmaster's reaped children's time
  let postgresSeconds = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (statOf(entry).name === "postgres") postgresSeconds += cpuOf(entry, true);
    } catch {
      // ended meanwhile
    }
  }
  // user nice system idle iowait irq softirq steal (guest time is already within user and nice)
  const [, ...fields] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/);
  const ticks = fields.slice(0, 8).map(Number);
  const [user, nice, system, , , irq, softirq] = ticks;
  const total = ticks.reduce((a, b) => a + b, 0) / TICKS_PER_SECOND;
  const busy = (user + nice + system + irq + softirq) / TICKS_PER_SECOND; // stolen time left out
  const self = process.cpuUsage();
  return {
    postgresSeconds,
    machineBusySeconds: busy,
    machineSeconds: total,
    loadSeconds: (self.user + self.system) / 1e6,
    since(before) {
      return {
        postgresSeconds: this.postgresSeconds - before.postgresSeconds,
        machineBusySeconds: this.machineBusySeconds - before.machineBusySeconds,
        machineSeconds: this.machineSeconds - before.machineSeconds,
        loadSeconds: this.loadSeconds - before.loadSeconds,
      };
    },
  };
}

export async function waitHealthy(url, init) {
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
export async function startBare({ nodeOptions = process.env.NODE_OPTIONS ?? "" } = {}) {
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
    ["start", dir, "-p", String(port), "-H", "127.0.0.1", "--keepAliveTimeout", "65000"],
    {
      cwd: root,
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, NODE_ENV: "production", NODE_OPTIONS: nodeOptions },
    },
  );
  const base = `http://127.0.0.1:${port}`;
  await waitHealthy(`${base}/ingest`, { method: "POST", body: "{}" });
  return {
    base,
    url: `${base}/ingest`,
    pid: child.pid,
    rssMb: () => rssOf(child.pid),
    async stop() {
      child.kill("SIGKILL");
      await new Promise((r) => setTimeout(r, 300));
    },
  };
}

/**
 * The product's server. With `databaseUrl`, on a fresh database made there (dropped at `stop`),
 * or with `sharedDatabaseUrl` on that database as it is (a second server beside the first).
 */
export async function startServer({
  inlineRunner,
  databaseUrl = process.env.DATABASE_URL,
  sharedDatabaseUrl,
  nodeOptions = process.env.NODE_OPTIONS ?? "",
}) {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "trigdash-bench-"));
  const db = sharedDatabaseUrl
    ? { url: sharedDatabaseUrl, drop: async () => {} }
    : databaseUrl
      ? await freshDatabase(databaseUrl, "trigdash_bench")
      : null;
  const child = spawn(
    path.join(root, "node_modules", ".bin", "next"),
    ["start", "-p", String(port), "-H", "127.0.0.1", "--keepAliveTimeout", "65000"],
    {
      cwd: root,
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        // the production build; "test" because the bench uses TEST_HOOKS (refused under production)
        NODE_ENV: "test",
        NODE_OPTIONS: `${serverNodeOptions} ${db ? "" : embeddedNodeOptions} ${nodeOptions}`,
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
  const stop = async () => {
    child.kill("SIGKILL");
    await new Promise((r) => setTimeout(r, 300));
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  await waitHealthy(`${base}/api/health`).catch(async (error) => {
    await stop();
    throw error;
  });
  return {
    base,
    pid: child.pid,
    databaseUrl: db?.url,
    rssMb: () => rssOf(child.pid),
    cpuSeconds: () => cpuOf(child.pid),
    /** Bytes the database holds, WAL left out (PostgreSQL's own size, or PGlite's files). */
    async diskBytes() {
      if (!db) return dirBytes(path.join(dataDir, "pglite"));
      const sql = postgres(db.url, { max: 1, onnotice: () => {} });
      const [{ size }] = await sql`select pg_database_size(current_database())::bigint as size`;
      await sql.end();
      return Number(size);
    },
    stop,
  };
}

export async function setup(base) {
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
