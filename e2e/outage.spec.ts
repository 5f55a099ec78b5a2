import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { userWithToken } from "./fixtures/accounts";
import { freePort, ownServer } from "./fixtures/own-server";
import { json } from "./fixtures/resources";
import { startTcpProxy } from "../test/tcp-proxy";

/** A server of its own whose PostgreSQL is reached through a proxy the test can cut. */
async function serverBehindProxy() {
  const pg = new URL(process.env.DATABASE_URL!);
  const proxy = await startTcpProxy({ host: pg.hostname, port: Number(pg.port || 5432) });
  const server = await ownServer(await freePort(), {
    databaseUrlVia: (url) => {
      const u = new URL(url);
      u.hostname = "127.0.0.1";
      u.port = String(proxy.port);
      return u.toString();
    },
  });
  return { proxy, server };
}

test("database outage: 503 within 5 s (never 202, no hang), the server stays up and recovers without a restart; nothing accepted is lost", async () => {
  test.skip(
    !process.env.DATABASE_URL,
    "needs PostgreSQL (DATABASE_URL): the embedded database has no connection to cut",
  );
  test.setTimeout(Number(process.env.OUTAGE_TIMEOUT ?? 180_000));
  const { proxy, server } = await serverBehindProxy();
  let running = true;
  try {
    await server.start();
    const { api } = await userWithToken(server.base);
    const { id: botId } = await json(await api.post("/api/v1/bot/create", { data: { name: "b" } }));
    const trigger = await json(
      await api.post("/api/v1/integration/trigger/create", {
        data: { botId, authenticate: false, rateLimitPerSecond: 1000, rateLimitBurst: 10_000 },
      }),
    );

    type Answer = {
      status: number;
      ms: number;
      end: number;
      phase: string;
      endPhase?: string;
      id?: string;
      body: string;
    };
    const answers: Answer[] = [];
    let phase = "before";
    const sender = async (_: unknown, k: number) => {
      let n = 0;
      while (running) {
        const started = Date.now();
        const myPhase = phase;
        const payload = JSON.stringify({ sender: k, n: n++ });
        try {
          const res = await fetch(`${server.base}/v1/integration/trigger/${trigger.id}/event`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: payload,
            signal: AbortSignal.timeout(15_000),
          });
          const body = await res.json();
          answers.push({
            status: res.status,
            ms: Date.now() - started,
            end: Date.now(),
            phase: myPhase,
            endPhase: phase,
            id: res.status === 202 ? body.id : undefined,
            body: payload,
          });
          if (res.status >= 400)
            expect(body).toMatchObject({ message: expect.any(String), code: expect.any(String) });
        } catch (error) {
          answers.push({
            status: -1,
            ms: Date.now() - started,
            end: Date.now(),
            phase: myPhase,
            body: payload,
          });
          console.log("request failed:", String(error));
        }
        if (phase === "cut") await new Promise((r) => setTimeout(r, 100));
      }
    };
    const senders = Array.from({ length: 4 }, sender);
    await new Promise((r) => setTimeout(r, 2000));
    phase = "cut";
    await proxy.cut();
    await new Promise((r) => setTimeout(r, 6000));
    // alive, but not ready: the load balancer should send traffic elsewhere
    expect((await fetch(`${server.base}/api/health`)).status).toBe(200);
    const ready = await fetch(`${server.base}/api/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: "unavailable", database: "unavailable" });
    phase = "restored";
    await proxy.restore();
    const restoredAt = Date.now();
    // and ready again once the database answers (polled, as a load balancer does: a single probe
    // 4 s after the restore once answered 503 in CI beside another worker; locally 0.7-1.3 s)
    await expect
      .poll(async () => (await fetch(`${server.base}/api/ready`)).status, {
        timeout: 10_000,
        intervals: [250],
      })
      .toBe(200);
    console.log(`ready ${Date.now() - restoredAt} ms after the restore`);
    // keep sending for a while after the restore, as before
    await new Promise((r) => setTimeout(r, Math.max(0, restoredAt + 4000 - Date.now())));
    running = false;
    await Promise.all(senders);

    const during = answers.filter((a) => a.phase === "cut");
    const after = answers.filter((a) => a.phase === "restored");
    console.log(
      `outage: ${answers.filter((a) => a.phase === "before").length} before, ${during.length} during the cut (${during.filter((a) => a.status === 503).length} x 503, slowest ${Math.max(...during.map((a) => a.ms))} ms), ${after.filter((a) => a.status === 202).length} x 202 after`,
    );
    console.log(
      "after the restore:",
      after
        .slice(0, 12)
        .map((a) => `${a.status}/${a.ms}ms`)
        .join(" "),
      "...",
    );
    expect(answers.some((a) => a.status === -1)).toBe(false); // no hang, no dropped connection
    expect(during.filter((a) => a.status === 503).length).toBeGreaterThan(3);
    // while the database is cut off every answer is a fast 503 (requests straddling the cut or the
    // restore may legitimately succeed)
    for (const a of during.slice(2).filter((x) => x.endPhase === "cut")) {
      expect([503]).toContain(a.status);
      expect(a.ms).toBeLessThan(5000);
    }
    expect(answers.some((a) => a.status >= 500 && a.status !== 503)).toBe(false);
    // recovery is prompt: the pool reconnects within about a second of the database coming back
    const firstAccepted = Math.min(...after.filter((a) => a.status === 202).map((a) => a.end));
    console.log(`first 202 ${firstAccepted - restoredAt} ms after the restore`);
    // (the pool retries at most a second apart; the rest is the senders' own cadence: a request
    // that started during the cut still ends in its 503 first. 3.3 s was seen once in CI beside
    // another worker, against a 3 s bound; the old back-off took 20 s)
    expect(firstAccepted - restoredAt).toBeLessThan(5000);
    expect(after.filter((a) => a.status === 202).length).toBeGreaterThan(5);

    // every 202 is stored and completes
    const accepted = answers.filter((a) => a.status === 202).map((a) => a.id!);
    let stored: { id: string; status: string; attempts?: number; error?: string }[] = [];
    await expect
      .poll(
        async () => {
          stored = [];
          let cursor: string | undefined;
          do {
            const res = await api.get(
              `/api/v1/integration/trigger/${trigger.id}/event/list?take=100${cursor ? `&cursor=${cursor}` : ""}`,
            );
            // right after the restore a request on a connection cut earlier may still get a 503: poll again
            if (res.status() === 503) return false;
            const page = await json(res);
            stored.push(...page.items);
            cursor = page.cursor;
          } while (cursor);
          const counts: Record<string, number> = {};
          for (const e of stored) counts[e.status] = (counts[e.status] ?? 0) + 1;
          console.log("outage drain:", JSON.stringify(counts), "accepted", accepted.length);
          for (const e of stored.filter((x) => x.status === "failed"))
            console.log("failed:", JSON.stringify(e));
          return stored.filter((e) => e.status === "completed").length >= accepted.length;
        },
        { timeout: 60_000 },
      )
      .toBe(true);
    const ids = new Set(stored.map((e) => e.id));
    for (const id of accepted) expect(ids.has(id)).toBe(true);

    // 503 means "not stored": each 503'd request, sent again later with the same body and no
    // idempotency key, leaves exactly one stored event (an insert the cut left in doubt is found
    // under the id reserved for its retry)
    const refused = answers.filter((a) => a.status === 503);
    let again503 = 0;
    for (const a of refused) {
      let status = 0;
      // a 503 may always be retried (a connection the cut left broken can still fail once)
      for (let attempt = 0; attempt < 10; attempt++) {
        const res = await fetch(`${server.base}/v1/integration/trigger/${trigger.id}/event`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: a.body,
        });
        status = res.status;
        if (status !== 503) break;
        again503++;
        await new Promise((r) => setTimeout(r, 300));
      }
      expect(status).toBe(202);
    }
    if (again503)
      console.log(`503 replay: ${again503} re-sends answered 503 again and were retried`);
    let all: { payload: unknown }[] = [];
    let cursor: string | undefined;
    do {
      const page = await json(
        await api.get(
          `/api/v1/integration/trigger/${trigger.id}/event/list?take=100${cursor ? `&cursor=${cursor}` : ""}`,
        ),
      );
      all.push(...page.items);
      cursor = page.cursor;
    } while (cursor);
    const keyOf = (p: unknown) => {
      const { sender, n } = p as { sender: number; n: number };
      return `${sender}:${n}`;
    };
    const count = new Map<string, number>();
    for (const e of all) count.set(keyOf(e.payload), (count.get(keyOf(e.payload)) ?? 0) + 1);
    const notOnce = refused
      .map((a) => keyOf(JSON.parse(a.body)))
      .filter((key) => count.get(key) !== 1);
    console.log(`503 replay: ${refused.length} re-sent, ${notOnce.length} not stored exactly once`);
    expect(notOnce.map((key) => `${key}: ${count.get(key) ?? 0}`)).toEqual([]);
    all = [];
  } finally {
    running = false; // a failed expectation must not leave the senders spinning on a stopped server
    await server.stop();
    await proxy.close();
  }
});

test("a server started before its database answers waits for it (a compose file starting both), then takes events", async () => {
  test.skip(!process.env.DATABASE_URL, "needs PostgreSQL (DATABASE_URL)");
  test.setTimeout(120_000);
  const { proxy, server } = await serverBehindProxy();
  let timer: NodeJS.Timeout | undefined;
  try {
    await proxy.cut(); // connections refused until it is restored
    const started = Date.now();
    let restoring: Promise<void> | undefined;
    timer = setTimeout(() => (restoring = proxy.restore()), 6_000);
    await server.start(); // it answers /api/health once it is up, after the database answered
    expect(Date.now() - started).toBeGreaterThan(6_000);
    await restoring;
    expect(server.log.join("")).toContain("the database does not answer yet");
    const { api } = await userWithToken(server.base);
    const { id: botId } = await json(await api.post("/api/v1/bot/create", { data: { name: "b" } }));
    const trigger = await json(
      await api.post("/api/v1/integration/trigger/create", {
        data: { botId, authenticate: false },
      }),
    );
    const res = await fetch(`${server.base}/v1/integration/trigger/${trigger.id}/event`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "after the wait" }),
    });
    expect(res.status).toBe(202);
  } finally {
    clearTimeout(timer); // a start that failed must not restore a closed proxy later
    await server.stop();
    await proxy.close();
  }
});

test("SIGTERM while a server waits for its database: it stops within seconds and starts nothing", async () => {
  test.skip(!process.env.DATABASE_URL, "needs PostgreSQL (DATABASE_URL)");
  const { proxy, server } = await serverBehindProxy();
  try {
    await proxy.cut();
    const starting = server.start().then(
      () => null,
      (e: Error) => e,
    );
    await expect.poll(() => server.log.join(""), { timeout: 30_000 }).toContain("does not answer");
    const signalled = Date.now();
    await server.terminate();
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect((await starting)?.message).toContain("server exited (0)");
    expect(server.log.join("")).toContain("stopped while waiting for the database");
  } finally {
    await server.stop();
    await proxy.close();
  }
});

test("a start-up the database's own statement_timeout keeps cancelling stops after DATABASE_WAIT_MS with a sentence that names it", async () => {
  test.skip(!process.env.DATABASE_URL, "needs PostgreSQL (DATABASE_URL)");
  test.setTimeout(90_000);
  const server = await ownServer(await freePort(), { env: { DATABASE_WAIT_MS: "3000" } });
  // another server holding the migration lock, on a database whose statements may run for 200 ms
  const sql = postgres(server.databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [{ name }] = await sql<{ name: string }[]>`select current_database() as name`;
    await sql.unsafe(`alter database "${name}" set statement_timeout = '200ms'`);
    await sql`select pg_advisory_lock(727274)`;
    const started = Date.now();
    await expect(server.start()).rejects.toThrow(/server exited \(1\)/);
    expect(Date.now() - started).toBeGreaterThan(3_000);
    expect(server.log.join("")).toContain(
      "[startup] PostgreSQL cancelled the start-up statements for 3 s (57014, statement_timeout): another server may be applying migrations",
    );
    // the lock let go, the same server starts on the same database
    await sql`select pg_advisory_unlock(727274)`;
    await sql.unsafe(`alter database "${name}" reset statement_timeout`);
    await server.start();
    expect((await fetch(`${server.base}/api/ready`)).status).toBe(200);
  } finally {
    await sql.end();
    await server.stop();
  }
});
