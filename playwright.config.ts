import { execFileSync } from "node:child_process";
import { defineConfig } from "@playwright/test";

// Free ports for the whole run (the server and the stub LLM), each checked on its own: workers
// inherit the environment of the main process.
if (!process.env.E2E_PORT) {
  const ports = execFileSync(process.execPath, [
    "-e",
    "const n=require('net');const a=n.createServer().listen(0,'127.0.0.1',()=>{const b=n.createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(a.address().port+' '+b.address().port);a.close();b.close()})})",
  ])
    .toString()
    .split(" ");
  process.env.E2E_PORT = ports[0];
  process.env.E2E_LLM_PORT = ports[1];
}
const baseURL = `http://127.0.0.1:${process.env.E2E_PORT}`;

// The browser: the system's Chromium when there is one, else the one inside the
// @sparticuz/chromium package (e2e/fixtures/chromium.mjs); resolved once, workers inherit it.
process.env.CHROMIUM_PATH ||= execFileSync(process.execPath, ["e2e/fixtures/chromium.mjs"], {
  stdio: ["ignore", "pipe", "inherit"],
}).toString();

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [
    { name: "main", testIgnore: [/\.clock\.spec\.ts$/, /\.alone\.spec\.ts$/] },
    // These move the server's clock, so they run alone, after everything else.
    {
      name: "clock",
      testMatch: /\.clock\.spec\.ts$/,
      dependencies: ["main"],
      fullyParallel: false,
    },
    // These load every core on purpose (busy loops beside two servers) or measure latency under a
    // hostile tenant: last, with nothing else running beside them.
    {
      name: "alone",
      testMatch: /\.alone\.spec\.ts$/,
      dependencies: ["clock"],
      fullyParallel: false,
      workers: 1,
    },
  ],
  webServer: {
    command: "node e2e/server.mjs",
    url: `${baseURL}/api/health`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
  },
});
