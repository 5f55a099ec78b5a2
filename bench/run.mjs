// npm run bench - measures the production build against a bare Next.js app of the
// same version (bench/bare, its own process): ingest and an in-app ceiling route
// as ratios of the bare app, alternating bare / ours twice; latency at a fixed
// rate beside the bare app's; end-to-end time through the inline runner; deep
// cursor pages over 100k triggers; server memory over 100k events; and the
// footprint (RSS after start-up and after 10,000 processed events) of the bare
// app, the embedded server and the PostgreSQL server.
// PostgreSQL when DATABASE_URL is set (a fresh database), PGlite otherwise.
// Prints a markdown table and writes bench/results/latest.json (git-ignored).

import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureBuild } from "../e2e/fixtures/server-utils.mjs";
import { root } from "./lib/servers.mjs";
import { endToEnd } from "./phases/e2e.mjs";
import { footprint } from "./phases/footprint.mjs";
import { heap } from "./phases/heap.mjs";
import { history } from "./phases/history.mjs";
import { soak } from "./phases/soak.mjs";
import { web } from "./phases/web.mjs";
import { reportTable } from "./report.mjs";

const quick = process.argv.includes("--quick"); // shorter runs for a smoke check
// --only=web (ingest, fixed rate, memory, listing), --only=e2e (end to end) or
// --only=footprint for one part; --only=heap (allocations per event request) runs only when asked
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

const results = {
  date: new Date().toISOString(),
  database: process.env.DATABASE_URL ? "PostgreSQL" : "PGlite",
  cpus: os.cpus().length,
  node: process.version,
  figures: {},
};
// --soak=30m (or =90s): only the soak, for that long
const soakArg = process.argv.find((a) => a.startsWith("--soak="))?.slice(7);
const soakMinutes = soakArg
  ? Number(soakArg.replace(/[a-z]+$/, "")) / (soakArg.endsWith("s") ? 60 : 1)
  : 0;
const opts = { quick, DURATION, E2E_EVENTS, TRIGGERS, MEMORY_EVENTS, HISTORY, soakMinutes };

ensureBuild(root);
const phases = soakMinutes
  ? { soak }
  : only === "heap"
    ? { heap }
    : { web, e2e: endToEnd, history, footprint };
for (const [name, run] of Object.entries(phases))
  if (soakMinutes || only === undefined || only === name) await run(results.figures, opts);

const table = reportTable(results, quick);
console.log(`\n${table}\n`);
mkdirSync(path.join(root, "bench", "results"), { recursive: true });
writeFileSync(
  path.join(root, "bench", "results", "latest.json"),
  JSON.stringify({ ...results, table }, null, 2),
);
