// Loaded before Next.js by `npm start` (package.json `config.nodeOptions`: `--import`). It hands
// `next start` the configuration its build recorded (.next/required-server-files.json), through
// the variable Next.js's own standalone server sets for the same purpose (.next/standalone's
// server.js). Without it, Next.js on Node 20 loads its SWC binding to compile next.config.ts at
// every start, and the binding stays mapped for the server's life: about 25 MB resident, a
// fourteenth of the embedded server's footprint (docs/benchmarks.md).
//
// The server then runs the configuration its build was made with: an edit to next.config.ts takes
// effect at the next `npm run build`, as its headers, bundling and external packages already did.
// Outside `next start` (Node's options reach child processes too), without a build, or with a
// variable already set, it does nothing, and a Next.js that stops reading the variable compiles
// next.config.ts as before: memory, never behaviour, is what is at stake.
import fs from "node:fs";
import path from "node:path";

const VARIABLE = "__NEXT_PRIVATE_STANDALONE_CONFIG";

function builtConfig(dir) {
  try {
    const file = path.join(dir, ".next", "required-server-files.json");
    const { config } = JSON.parse(fs.readFileSync(file, "utf8"));
    return config && typeof config === "object" ? JSON.stringify(config) : undefined;
  } catch {
    // no build (next start says so itself) or an unreadable one: Next.js reads next.config.ts
    return undefined;
  }
}

// `next start` as npm runs it: from the project's folder, with no folder argument
if (/next/.test(process.argv[1] ?? "") && process.argv[2] === "start" && !process.env[VARIABLE]) {
  const config = builtConfig(process.cwd());
  if (config) process.env[VARIABLE] = config;
}
