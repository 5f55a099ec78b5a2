// Heap (--only=heap, not in the default run): what the event endpoint allocates per request,
// garbage included, beside the bare app's route under the same load (V8's sampling heap
// profiler, bench/lib/heap-sampler.mjs). Writes both profiles to bench/results/ (open them in
// Chrome DevTools, Memory tab) and reports the kilobytes per request and the call sites where
// ours allocates most beyond the bare app.
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { cannon } from "../lib/load.mjs";
import { root, setup, startBare, startServer } from "../lib/servers.mjs";

const sampler = path.join(root, "bench", "lib", "heap-sampler.mjs");
const resultsDir = path.join(root, "bench", "results");

/** Sends `amount` requests after a warm-up, sampling the server's allocations meanwhile. */
async function sample(server, url, headers, file, amount) {
  await cannon({ url, connections: 32, amount: 3000, headers });
  process.kill(server.pid, "SIGWINCH");
  await new Promise((r) => setTimeout(r, 500));
  await cannon({ url, connections: 32, amount, headers });
  process.kill(server.pid, "SIGUSR2");
  for (let i = 0; i < 300 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 200));
  if (!existsSync(file)) throw new Error(`heap profile: ${file} not written within 60 s`);
  const profile = JSON.parse(readFileSync(file, "utf8"));
  if (!profile.head) throw new Error(`heap profile: ${profile.error ?? "no samples"}`);
  return profile;
}

/** Bytes per call site (function, file, line, column): where a sample's object was allocated. */
function bySite(profile) {
  const sites = new Map();
  let total = 0;
  const walk = (node) => {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const file = url.replace(/^file:\/\//, "").replace(/.*\/(node_modules|\.next)\//, "$1/");
    const site = `${functionName || "(anonymous)"} ${file || "(native)"}:${lineNumber + 1}:${columnNumber + 1}`;
    sites.set(site, (sites.get(site) ?? 0) + node.selfSize);
    total += node.selfSize;
    for (const child of node.children) walk(child);
  };
  walk(profile.head);
  return { sites, total };
}

/** Fills `f.heap`. */
export async function heap(f, opts) {
  const amount = opts.quick ? 5000 : 20_000;
  mkdirSync(resultsDir, { recursive: true });
  const nodeOptions = `--import ${sampler}`;
  const files = {
    bare: path.join(resultsDir, "heap-bare.heapprofile"),
    ours: path.join(resultsDir, "heap-event.heapprofile"),
  };
  for (const file of Object.values(files)) rmSync(file, { force: true });
  const profiles = {};
  // the servers inherit the file's name from the environment
  process.env.HEAP_PROFILE_FILE = files.bare;
  const bare = await startBare({ nodeOptions });
  try {
    const headers = { "content-type": "application/json" };
    profiles.bare = bySite(await sample(bare, bare.url, headers, files.bare, amount));
  } finally {
    await bare.stop();
  }
  process.env.HEAP_PROFILE_FILE = files.ours;
  const server = await startServer({ inlineRunner: false, nodeOptions });
  try {
    const { trigger } = await setup(server.base);
    const headers = {
      "content-type": "application/json",
      authorization: `Bearer ${trigger.secret}`,
    };
    profiles.ours = bySite(await sample(server, trigger.eventUrl, headers, files.ours, amount));
  } finally {
    await server.stop();
    delete process.env.HEAP_PROFILE_FILE;
  }
  const kb = (bytes) => +(bytes / amount / 1024).toFixed(1);
  const sites = new Set([...profiles.bare.sites.keys(), ...profiles.ours.sites.keys()]);
  const beyond = [...sites]
    .map((site) => [
      site,
      (profiles.ours.sites.get(site) ?? 0) - (profiles.bare.sites.get(site) ?? 0),
    ])
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([site, bytes]) => ({ site, kbPerRequest: kb(bytes) }));
  f.heap = {
    requests: amount,
    bareKbPerRequest: kb(profiles.bare.total),
    oursKbPerRequest: kb(profiles.ours.total),
    beyond,
    files,
  };
}
