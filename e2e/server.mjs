// Starts the production build for the e2e/API suites: builds first when the
// build is missing or older than the sources, gives the server its own data
// directory (PGlite) or its own fresh PostgreSQL database (DATABASE_URL), and
// starts the fixtures the pipeline tests script (a stub LLM server). Cleans up
// on SIGTERM/SIGINT.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureBuild, freshDatabase } from "./fixtures/server-utils.mjs";
import { startLlmStub } from "./fixtures/llm-stub.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.E2E_PORT ?? 3210);
const llmPort = Number(process.env.E2E_LLM_PORT ?? port + 1);

ensureBuild(root);
const dataDir = mkdtempSync(path.join(os.tmpdir(), "trigdash-e2e-"));
const db = process.env.DATABASE_URL ? await freshDatabase(process.env.DATABASE_URL) : null;
const llm = await startLlmStub(llmPort);

// next itself, not through npx: the SIGTERM below reaches the server, which drains and exits
const child = spawn(
  path.join(root, "node_modules", ".bin", "next"),
  ["start", "-p", String(port), "-H", "127.0.0.1", "--keepAliveTimeout", "65000"],
  {
    cwd: root,
    stdio: "inherit",
    env: {
      ...process.env,
      // the production build, run as a test server: TEST_HOOKS (the test clock) is refused under production
      NODE_ENV: "test",
      // one JSON line per processed event would drown the test output; the observability spec reads them
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
      ALLOW_SIGNUP: "true",
      // hundreds of accounts are made from 127.0.0.1 in one run; e2e/auth-throttle.spec.ts checks the defaults
      AUTH_SIGNUPS_PER_IP_PER_HOUR: "1000000",
      AUTH_FAILURES_PER_IP_PER_HOUR: "1000000",
      APP_SECRET: "e2e-secret-e2e-secret-e2e-secret-0123456789",
      APP_URL: `http://127.0.0.1:${port}`,
      DATA_DIR: dataDir,
      DATABASE_URL: db?.url ?? "",
      OPENAI_BASE_URL: `http://127.0.0.1:${llmPort}/v1`,
      OPENAI_API_KEY: "stub-key",
      MODELS_ALLOWED: "openai/gpt-4o-mini,openai/stub,openai/stub-model",
      ABILITY_HTTP_ALLOW_HOSTS: "127.0.0.1,localhost",
      // Slack and GitHub stand-ins in the stub (e2e/fixtures/llm-stub.mjs)
      SLACK_API_URL: `http://127.0.0.1:${llmPort}/slack/api`,
      GITHUB_API_URL: `http://127.0.0.1:${llmPort}/github`,
      TEST_HOOKS: "1",
      INNGEST_EVENT_KEY: "",
      INNGEST_DEV: "",
      INNGEST_BASE_URL: "",
    },
  },
);

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  // its drain ends, or 10 s pass (within Playwright's 15 s for this script): no server is left
  // running on a deleted data directory or a dropped database
  const exited = new Promise((r) =>
    child.exitCode !== null || child.signalCode !== null ? r() : child.once("exit", r),
  );
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  child.kill("SIGKILL");
  await llm.close();
  await db?.drop();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(code);
}
process.on("SIGTERM", () => stop(0));
process.on("SIGINT", () => stop(0));
child.on("exit", (code) => {
  if (!stopping) {
    console.error(`[e2e] server exited with ${code}`);
    void stop(1);
  }
});
