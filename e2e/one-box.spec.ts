import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, request, test, type APIRequestContext } from "@playwright/test";
import { createFreshDatabase } from "../test/pg";
import { userWithToken } from "./fixtures/accounts";
import { freePort, ownServer } from "./fixtures/own-server";
import { scriptedBot } from "./fixtures/pipeline";
import { json } from "./fixtures/resources";

// The embedded database as a one-box install (README "Backup" and "Outgrowing one box").
const POSTGRES =
  process.env.DATABASE_URL ??
  process.env.CI_DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/test";

let root: string;
test.beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "trigdash-onebox-"));
});
test.afterAll(() => rmSync(root, { recursive: true, force: true }));

/** `npm run db:<command> -- args` with this DATA_DIR, as an operator types it. */
function npmDb(command: string, dataDir: string, ...args: string[]) {
  const result = spawnSync("npm", ["run", "--silent", `db:${command}`, "--", ...args], {
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "" },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

test("first run: a missing nested DATA_DIR is created; a second server on it stops with one sentence", async () => {
  test.setTimeout(120_000);
  const dataDir = path.join(root, "first", "a", "b", "c");
  const server = await ownServer(await freePort(), { dataDir, databaseUrl: "" });
  const second = await ownServer(await freePort(), { dataDir, databaseUrl: "" });
  try {
    await server.start();
    expect((await fetch(`${server.base}/api/ready`)).status).toBe(200);
    await expect(second.start()).rejects.toThrow(/server exited \(1\)/);
    const said = second.log.join("");
    expect(said).toMatch(
      /\[startup\] Another process \(pid \d+\) has the embedded database in .*first\/a\/b\/c open, and PGlite allows one process per directory: stop that server first/,
    );
    expect(said, "no stack trace").not.toMatch(/\n\s+at /);
    // the first server is untouched
    expect((await fetch(`${server.base}/api/ready`)).status).toBe(200);

    // a DATA_DIR under a file cannot be created: one sentence, exit 1
    const blocked = await ownServer(await freePort(), {
      dataDir: path.join(root, "first", "a", "b", "c", "server.pid", "x"),
      databaseUrl: "",
    });
    await expect(blocked.start()).rejects.toThrow(/server exited \(1\)/);
    expect(blocked.log.join("")).toMatch(/cannot be used \(ENOTDIR\): make it writable/);
  } finally {
    await second.kill9();
    await server.stop();
  }
});

test("npm start's Node options: the server runs its build's configuration without loading Next.js's SWC binding", async () => {
  test.setTimeout(120_000);
  // package.json's config.nodeOptions, as `npm start` gives them (lib/server/built-config.mjs)
  const { nodeOptions } = JSON.parse(readFileSync("package.json", "utf8")).config;
  const swcMapped = (pid: number | undefined) =>
    /next-swc/.test(readFileSync(`/proc/${pid}/maps`, "utf8"));
  const withOptions = await ownServer(await freePort(), {
    databaseUrl: "",
    env: { NODE_OPTIONS: nodeOptions },
  });
  const without = await ownServer(await freePort(), { databaseUrl: "", env: { NODE_OPTIONS: "" } });
  try {
    await withOptions.start();
    expect(swcMapped(withOptions.pid()), "the SWC binding (about 25 MB resident)").toBe(false);
    expect(withOptions.log.join("")).toMatch(/Running next\.config took/);
    // next.config.ts's settings hold: its headers, and no X-Powered-By (poweredByHeader: false)
    const res = await fetch(`${withOptions.base}/api/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.has("x-powered-by")).toBe(false);
    // what the option saves: a plain `next start` compiles next.config.ts with the binding
    await without.start();
    expect(swcMapped(without.pid())).toBe(true);
    expect(without.log.join("")).toMatch(/Running next\.config\.ts took/);
    expect((await fetch(`${without.base}/api/health`)).headers.has("x-powered-by")).toBe(false);
  } finally {
    await withOptions.stop();
    await without.stop();
  }
});

test("backup while running, restore into a new DATA_DIR, copy to PostgreSQL: the same triggers, secrets, conversations and tokens", async () => {
  test.setTimeout(300_000);
  const dataDir = path.join(root, "live");
  const embedded = await ownServer(await freePort(), { dataDir, databaseUrl: "" });
  const target = await createFreshDatabase(POSTGRES, "trigdash_copy");
  const onPostgres = await ownServer(await freePort(), { databaseUrl: target.url });
  const restoredDir = path.join(root, "restored");
  const restored = await ownServer(await freePort(), { dataDir: restoredDir, databaseUrl: "" });
  const contexts: APIRequestContext[] = [];
  try {
    await embedded.start();
    const { api, token } = await userWithToken(embedded.base);
    const { botId } = await scriptedBot(api, "onebox", [{ text: "noted" }]);
    const trigger = await json(
      await api.post("/api/v1/integration/trigger/create", { data: { botId, name: "orders" } }),
    );
    const send = (base: string) =>
      fetch(`${base}/v1/integration/trigger/${trigger.id}/event?session=s1`, {
        method: "POST",
        headers: { authorization: `Bearer ${trigger.secret}`, "content-type": "application/json" },
        body: JSON.stringify({ text: "order 42 paid" }),
      });
    for (let i = 0; i < 3; i++) expect((await send(embedded.base)).status).toBe(202);
    const snapshot = async (ctx: APIRequestContext) => {
      const triggers = await json(await ctx.get("/api/v1/integration/trigger/list?take=100"));
      const events = await json(
        await ctx.get(`/api/v1/integration/trigger/${trigger.id}/event/list?take=100`),
      );
      const conversations = await json(await ctx.get("/api/v1/conversation/list?take=100"));
      const messages = conversations.items.length
        ? await json(
            await ctx.get(
              `/api/v1/conversation/${conversations.items[0].id}/message/list?take=100&order=asc`,
            ),
          )
        : { items: [] };
      return {
        triggers: triggers.items.map((t: { id: string; name: string }) => [t.id, t.name]),
        events: events.items.map((e: { id: string; status: string }) => [e.id, e.status]),
        conversations: conversations.items.map((c: { id: string }) => c.id),
        messages: messages.items.map((m: { id: string; type: string; text: string }) => [
          m.id,
          m.type,
          m.text,
        ]),
      };
    };
    await expect
      .poll(async () => (await snapshot(api)).events.every(([, s]: string[]) => s === "completed"))
      .toBe(true);
    const before = await snapshot(api);
    expect(before.messages.length).toBeGreaterThanOrEqual(6);

    // backup while the server runs: it makes the copy itself, through its lock socket
    const file = path.join(root, "backup.tar.gz");
    const backup = npmDb("backup", dataDir, file);
    expect(backup.output).toMatch(/Backed up the running server's database to/);
    expect(backup.status).toBe(0);
    // a restore or a copy while it runs is refused: they need the database to themselves
    const busy = npmDb("copy", dataDir, "--to", target.url);
    expect(busy.status).toBe(1);
    expect(busy.output).toMatch(/Another process \(pid \d+\) has the embedded database/);
    await embedded.terminate();

    // restore into a new DATA_DIR; a second restore there is refused without --replace
    const restore = npmDb("restore", restoredDir, file);
    expect(restore.output).toMatch(/Restored .* 1 triggers, 3 events/);
    expect(restore.status).toBe(0);
    const again = npmDb("restore", restoredDir, file);
    expect(again.status).toBe(1);
    expect(again.output).toMatch(
      /already holds a database\. Restore into an empty DATA_DIR, or pass --replace/,
    );

    // copy into the empty PostgreSQL database; a second copy is refused
    const copy = npmDb("copy", dataDir, "--to", target.url);
    expect(copy.output).toMatch(/Copied \d+ rows/);
    expect(copy.status).toBe(0);
    const twice = npmDb("copy", dataDir, "--to", target.url);
    expect(twice.status).toBe(1);
    expect(twice.output).toMatch(/The target database is not empty/);

    for (const server of [onPostgres, restored]) {
      await server.start();
      const ctx = await request.newContext({
        baseURL: server.base,
        extraHTTPHeaders: { authorization: `Bearer ${token}` },
      });
      contexts.push(ctx);
      // the old API token works, and everything reads back the same
      expect(await snapshot(ctx)).toEqual(before);
      // the old trigger secret is accepted, and the event is processed here
      expect((await send(server.base)).status).toBe(202);
      await expect
        .poll(
          async () =>
            (await snapshot(ctx)).events.filter(([, s]: string[]) => s === "completed").length,
        )
        .toBe(4);
    }
  } finally {
    for (const ctx of contexts) await ctx.dispose();
    await restored.stop();
    await onPostgres.stop();
    await embedded.stop();
    await target.drop();
  }
});

test("public/: the icon, the web manifest, and a robots.txt that keeps the dashboard out of search engines", async ({
  request: http,
}) => {
  const robots = await http.get("/robots.txt");
  expect(robots.status()).toBe(200);
  expect(await robots.text()).toMatch(/User-agent: \*\s+Disallow: \/\s*$/);
  const manifest = await json(await http.get("/manifest.webmanifest"));
  expect(manifest).toMatchObject({ name: "Triggers", start_url: "/triggers" });
  for (const icon of manifest.icons) {
    const res = await http.get(icon.src);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toContain("image/svg+xml");
  }
  const signin = await (await http.get("/signin")).text();
  expect(signin).toContain('rel="manifest" href="/manifest.webmanifest"');
  expect(signin).toMatch(/<meta name="robots" content="noindex, nofollow"/);
});
