import { expect, test } from "@playwright/test";
import { userWithToken } from "./fixtures/accounts";
import { freePort, ownServer } from "./fixtures/own-server";
import { scenarioName, scriptLlm } from "./fixtures/pipeline";
import { json } from "./fixtures/resources";

test("kill -9 in the middle of 2,000 events at full speed, restart: every 202'd event completes, none recorded twice", async () => {
  test.setTimeout(360_000);
  const port = await freePort();
  const server = await ownServer(port);
  try {
    await server.start();
    const { api } = await userWithToken(server.base);
    // A model that takes 150 ms per answer: the runner's 8 workers finish at most ~53 events/s,
    // well below what 16 senders deliver, so a backlog is there when the server dies (at 60 ms the
    // runner sometimes kept up and nothing was pending at the kill).
    const scenario = scenarioName("crash");
    await scriptLlm(scenario, [{ text: "handled", delayMs: 150 }]);
    const { id: botId } = await json(
      await api.post("/api/v1/bot/create", {
        data: { name: "b", model: "openai/stub", backstory: `[scenario:${scenario}]` },
      }),
    );
    const trigger = await json(
      await api.post("/api/v1/integration/trigger/create", {
        data: { botId, authenticate: false, rateLimitPerSecond: 1000, rateLimitBurst: 10_000 },
      }),
    );

    // Fire events with 16 in flight; kill the server part-way through.
    const accepted: string[] = [];
    let sent = 0;
    let killed = false;
    let pendingAtKill = 0;
    let stopAtKill = true;
    const worker = async () => {
      while (!(killed && stopAtKill) && sent < 2000) {
        const n = sent++;
        try {
          const res = await fetch(
            `${server.base}/v1/integration/trigger/${trigger.id}/event?session=s${n % 50}`,
            {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ text: `event ${n}` }),
              signal: AbortSignal.timeout(30_000),
            },
          );
          if (res.status === 202) accepted.push((await res.json()).id);
        } catch {
          // the connection died with the server: not accepted, not counted
        }
        if (n === 1000 && !killed) {
          killed = true;
          // queued or mid-run: both must come back after the restart
          for (const status of ["queued", "processing"]) {
            const page = await json(
              await api.get(
                `/api/v1/integration/trigger/${trigger.id}/event/list?status=${status}&take=100`,
              ),
            );
            pendingAtKill += page.items.length;
          }
          await server.kill9();
          // really gone: nothing answers on its port any more
          await expect(fetch(`${server.base}/api/health`)).rejects.toThrow();
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(accepted.length).toBeGreaterThan(900);
    const acceptedBeforeKill = accepted.length;
    console.log(
      `crash: ${acceptedBeforeKill} accepted, ${pendingAtKill} queued or running at the kill`,
    );
    expect(
      pendingAtKill,
      "events were still queued or running when the server died",
    ).toBeGreaterThan(0);

    // Back up: the rest of the 2,000 go to the restarted server while it drains the backlog.
    await server.start();
    stopAtKill = false;
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(sent).toBe(2000);
    const again = api; // same database, same token
    let events: { id: string; status: string; conversationId: string }[] = [];
    await expect
      .poll(
        async () => {
          events = [];
          let cursor: string | undefined;
          do {
            const page = await json(
              await again.get(
                `/api/v1/integration/trigger/${trigger.id}/event/list?take=100${cursor ? `&cursor=${cursor}` : ""}`,
              ),
            );
            events.push(...page.items);
            cursor = page.cursor;
          } while (cursor);
          return (
            events.filter((e) => e.status === "completed").length >= accepted.length &&
            events.every((e) => e.status === "completed")
          );
        },
        { timeout: 120_000, intervals: [500, 1000, 2000] },
      )
      .toBe(true);

    const ids = new Set(events.map((e) => e.id));
    for (const id of accepted) expect(ids.has(id), `accepted event ${id} exists`).toBe(true);

    // exactly one user and one bot message per event
    const conversationIds = [...new Set(events.map((e) => e.conversationId))];
    const perEvent = new Map<string, string[]>();
    for (const cid of conversationIds) {
      let cursor: string | undefined;
      do {
        const page = await json(
          await again.get(
            `/api/v1/conversation/${cid}/message/list?take=100&order=asc${cursor ? `&cursor=${cursor}` : ""}`,
          ),
        );
        for (const m of page.items)
          perEvent.set(m.eventId, [...(perEvent.get(m.eventId) ?? []), m.type]);
        cursor = page.cursor;
      } while (cursor);
    }
    for (const e of events) expect(perEvent.get(e.id)?.sort(), e.id).toEqual(["bot", "user"]);
    console.log(
      `crash test: ${sent} sent, ${accepted.length} accepted (202; ${acceptedBeforeKill} before kill -9), >=${pendingAtKill} queued or running at kill -9, ${events.length} stored, all completed once`,
    );
  } finally {
    await server.stop();
  }
});
