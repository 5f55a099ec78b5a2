// The folder-level import graph of the server code: which folder imports which (app, inngest, db,
// each folder of lib/, components). `node test/import-graph.mjs` prints it and any cycle;
// test/layers.test.ts asserts there is none.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const SOURCES = ["app", "components", "db", "inngest", "lib"];

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) yield* files(full);
    else if (/\.(ts|tsx|mjs)$/.test(name) && !/\.(test|d)\.m?tsx?$/.test(name)) yield full;
  }
}

/** The folder a file belongs to in the graph: lib/<folder>, or its top-level folder. */
export function folderOf(file) {
  const rel = path.relative(ROOT, file).split(path.sep);
  if (rel[0] === "lib")
    return rel.length > 2 ? `lib/${rel[1]}` : `lib/${rel[1].replace(/\.\w+$/, "")}`;
  if (rel[0] === "inngest" && /^client(\.ts)?$/.test(rel[1] ?? "")) return "inngest/client";
  return rel[0];
}

function resolve(from, spec) {
  if (spec.startsWith("@/")) return path.join(ROOT, spec.slice(2));
  if (spec.startsWith(".")) return path.resolve(path.dirname(from), spec);
  return null;
}

export function importGraph() {
  const edges = new Map();
  for (const top of SOURCES)
    for (const file of files(path.join(ROOT, top))) {
      const from = folderOf(file);
      if (!edges.has(from)) edges.set(from, new Map());
      const src = readFileSync(file, "utf8");
      for (const m of src.matchAll(
        /(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g,
      )) {
        const target = resolve(file, m[1] ?? m[2]);
        if (!target) continue;
        const to = folderOf(target);
        if (to === from) continue;
        const list = edges.get(from).get(to) ?? [];
        list.push(path.relative(ROOT, file));
        edges.get(from).set(to, list);
      }
    }
  return edges;
}

/** Every strongly connected group of more than one folder (each is a cycle). */
export function cycles(edges) {
  let index = 0;
  const stack = [];
  const meta = new Map();
  const out = [];
  const visit = (v) => {
    meta.set(v, { index, low: index, on: true });
    index++;
    stack.push(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!meta.has(w)) {
        visit(w);
        meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).low);
      } else if (meta.get(w).on) meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).index);
    }
    if (meta.get(v).low === meta.get(v).index) {
      const group = [];
      let w;
      do {
        w = stack.pop();
        meta.get(w).on = false;
        group.push(w);
      } while (w !== v);
      if (group.length > 1) out.push(group.sort());
    }
  };
  for (const v of edges.keys()) if (!meta.has(v)) visit(v);
  return out;
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const edges = importGraph();
  for (const [from, tos] of [...edges].sort(([a], [b]) => a.localeCompare(b)))
    console.log(`${from.padEnd(20)} -> ${[...tos.keys()].sort().join(", ")}`);
  const found = cycles(edges);
  console.log(
    found.length
      ? `\ncycles:\n${found.map((c) => `  ${c.join(" <-> ")}`).join("\n")}`
      : "\nno cycles",
  );
  if (process.argv.includes("--why"))
    for (const [from, tos] of edges)
      for (const [to, list] of tos)
        console.log(`${from} -> ${to}: ${[...new Set(list)].join(", ")}`);
  process.exitCode = found.length ? 1 : 0;
}
