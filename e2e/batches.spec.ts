import { expect, test, type APIRequestContext } from "@playwright/test";
import { userWithToken } from "./fixtures/accounts";
import { freePort, ownServer } from "./fixtures/own-server";
import {
  contentText,
  listEvents,
  messagesOf,
  modelRequests,
  scriptedBot,
  scriptLlm,
  skillsetWithOrderLookup,
  startReceiver,
  waitForEvents,
} from "./fixtures/pipeline";
import { createTrigger, json } from "./fixtures/resources";
import { apiAs, choose, signUpInBrowser } from "./fixtures/ui";

// Bursts as one run: the stub model records every request, so "one run" is one request holding
// every event's data card, in order.

const post = (api: APIRequestContext, base: string, triggerId: string, data: unknown, q = "") =>
  api.post(`${base}/v1/integration/trigger/${triggerId}/event${q}`, { data: data as never });

/** The text of everything the model was sent in one request. */
const sent = (r: { messages: { content: unknown }[] }) =>
  r.messages.map((m) => contentText(m.content)).join("\n");

test("ten events of one key within the window are one run: one model request with all ten payloads in order", async ({
  request,
}) => {
  const { api } = await userWithToken();
  const { botId, scenario } = await scriptedBot(api, "batch10", [{ text: "Handled all ten." }]);
  const t = await createTrigger(api, {
    botId,
    authenticate: false,
    batch: { window: 5000, maxWait: 30_000, maxEvents: 50 },
  });
  expect(t).toMatchObject({ id: expect.any(String) });
  const record = await json(await api.get(`/api/v1/integration/trigger/${t.id}/fetch`));
  expect(record.batch).toEqual({ window: 5000, maxWait: 30_000, maxEvents: 50, key: null });
  for (let i = 1; i <= 10; i++)
    expect(
      (await post(request, "", t.id, { text: `message ${i} of ten` }, "?session=chat-1")).status(),
    ).toBe(202);
  const held = await listEvents(api, t.id);
  expect(held.every((e) => e.status === "queued" && e.runAfter)).toBe(true);

  const events = await waitForEvents(api, t.id, 10);
  expect(events.every((e) => e.status === "completed")).toBe(true);
  const first = [...events].sort((a, b) => a.id.localeCompare(b.id))[0];
  expect(new Set(events.map((e) => e.batchId))).toEqual(new Set([first.id]));
  const requests = await modelRequests(scenario);
  expect(requests).toHaveLength(1);
  const text = sent(requests[0]);
  const positions = Array.from({ length: 10 }, (_, i) => text.indexOf(`message ${i + 1} of ten`));
  expect(positions.every((p) => p >= 0)).toBe(true);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  expect(text.match(/<event id=/g)).toHaveLength(10);

  // the event names its batch; every event is in the one conversation
  const detail = await json(
    await api.get(`/api/v1/integration/trigger/${t.id}/event/${events[0].id}/fetch`),
  );
  expect(detail.batch).toMatchObject({ id: first.id, size: 10 });
  expect(new Set(events.map((e) => e.conversationId)).size).toBe(1);
  const messages = await messagesOf(api, first.conversationId!);
  expect(messages.filter((m) => m.type === "user")).toHaveLength(10);
  expect(messages.filter((m) => m.type === "bot")).toHaveLength(1);
});

test("a key expression makes two runs for two keys; maxEvents splits a burst", async ({
  request,
}) => {
  const { api } = await userWithToken();
  const { botId, scenario } = await scriptedBot(api, "batchkeys", [{ text: "ok" }]);
  const t = await createTrigger(api, {
    botId,
    authenticate: false,
    batch: { window: 4000, maxEvents: 4, key: "payload.customer" },
  });
  for (let i = 0; i < 6; i++)
    await post(request, "", t.id, { text: `order ${i}`, customer: i % 2 ? "acme" : "globex" });
  const events = await waitForEvents(api, t.id, 6);
  expect(events.every((e) => e.status === "completed")).toBe(true);
  const runs = new Map<string, number>();
  for (const e of events) runs.set(e.batchId!, (runs.get(e.batchId!) ?? 0) + 1);
  expect([...runs.values()].sort()).toEqual([3, 3]);
  expect(await modelRequests(scenario)).toHaveLength(2);

  // maxEvents 4: a burst of ten is runs of 4, 4 and 2
  const { botId: b2, scenario: s2 } = await scriptedBot(api, "batchsplit", [{ text: "ok" }]);
  const split = await createTrigger(api, {
    botId: b2,
    authenticate: false,
    batch: { window: 4000, maxEvents: 4 },
  });
  const answers = await Promise.all(
    Array.from({ length: 10 }, (_, i) => post(request, "", split.id, { text: `burst ${i}` })),
  );
  // every arrival of the burst moves the same rows' due time at once: each is still a 202
  // (two of them once deadlocked, and the sender got a 500 for an event that was stored)
  expect(answers.map((a) => a.status())).toEqual(Array(10).fill(202));
  const burst = await waitForEvents(api, split.id, 10);
  const sizes = new Map<string, number>();
  for (const e of burst) sizes.set(e.batchId ?? e.id, (sizes.get(e.batchId ?? e.id) ?? 0) + 1);
  expect([...sizes.values()].sort()).toEqual([2, 4, 4]);
  expect(await modelRequests(s2)).toHaveLength(3);
  // a bad key expression is refused when saved
  const bad = await api.post(`/api/v1/integration/trigger/${t.id}/update`, {
    data: { batch: { window: 1000, key: "payload.(" } },
  });
  expect(bad.status()).toBe(422);
});

test("maxWait bounds the delay under a trickle: an event every 500 ms with a 1 s window still runs", async ({
  request,
}) => {
  const { api } = await userWithToken();
  const { botId, scenario } = await scriptedBot(api, "trickle", [{ text: "ok" }]);
  const t = await createTrigger(api, {
    botId,
    authenticate: false,
    batch: { window: 1000, maxWait: 2500, maxEvents: 100 },
  });
  let firstRunAt = 0;
  for (let i = 0; i < 12; i++) {
    await post(request, "", t.id, { text: `drip ${i}` });
    if (!firstRunAt && (await modelRequests(scenario)).length) firstRunAt = Date.now();
    await new Promise((r) => setTimeout(r, 500));
  }
  // the trickle never paused for the window, yet a run happened while it went on
  expect(firstRunAt).toBeGreaterThan(0);
  const events = await waitForEvents(api, t.id, 12);
  expect(events.every((e) => e.status === "completed")).toBe(true);
  expect((await modelRequests(scenario)).length).toBeGreaterThanOrEqual(2);
});

test("onBusy merge: an event arriving mid-run joins it before the model's next step", async ({
  request,
}) => {
  const receiver = await startReceiver();
  try {
    const { api } = await userWithToken();
    const { skillsetId } = await skillsetWithOrderLookup(api, receiver.url);
    const { botId, scenario } = await scriptedBot(
      api,
      "merge",
      [{ tool: "get_order", args: { id: "1" }, delayMs: 6000 }, { text: "Answered both." }],
      { skillsetId },
    );
    const t = await createTrigger(api, { botId, authenticate: false, onBusy: "merge" });
    await post(request, "", t.id, { text: "first question" }, "?session=s");
    await expect
      .poll(async () => (await modelRequests(scenario)).length, { intervals: [50] })
      .toBe(1);
    await post(request, "", t.id, { text: "second question, sent mid-run" }, "?session=s");
    const events = await waitForEvents(api, t.id, 2);
    expect(events.every((e) => e.status === "completed")).toBe(true);
    const requests = await modelRequests(scenario);
    expect(requests).toHaveLength(2);
    expect(sent(requests[0])).not.toContain("second question");
    expect(sent(requests[1])).toContain("second question, sent mid-run");
    expect(receiver.requests).toHaveLength(1); // merge lets the step's call run
    const [lead, joined] = [...events].sort((a, b) => a.id.localeCompare(b.id));
    expect(joined.batchId).toBe(lead.id);
  } finally {
    await receiver.close();
  }
});

test("onBusy interrupt: the run stops before its next call, keeps what it did, and goes on with both events", async ({
  request,
}) => {
  const receiver = await startReceiver();
  try {
    const { api } = await userWithToken();
    const { skillsetId } = await skillsetWithOrderLookup(api, receiver.url);
    const { botId, scenario } = await scriptedBot(
      api,
      "interrupt",
      [
        { tool: "get_order", args: { id: "1" }, delayMs: 6000 },
        { text: "Dropped the lookup; answered the newer message." },
      ],
      { skillsetId },
    );
    const t = await createTrigger(api, { botId, authenticate: false, onBusy: "interrupt" });
    await post(request, "", t.id, { text: "look up order 1" }, "?session=s");
    await expect
      .poll(async () => (await modelRequests(scenario)).length, { intervals: [50] })
      .toBe(1);
    await post(request, "", t.id, { text: "never mind, cancel that" }, "?session=s");
    const events = await waitForEvents(api, t.id, 2);
    expect(events.every((e) => e.status === "completed")).toBe(true);
    expect(receiver.requests).toHaveLength(0); // the call after the newer event was not made
    const requests = await modelRequests(scenario);
    expect(requests).toHaveLength(2);
    const second = sent(requests[1]);
    expect(second).toContain("never mind, cancel that");
    expect(second).toContain("interrupted the run");
    const [lead, joined] = [...events].sort((a, b) => a.id.localeCompare(b.id));
    expect(joined.batchId).toBe(lead.id);
    const steps = (
      await json(await api.get(`/api/v1/integration/trigger/${t.id}/event/${lead.id}/fetch`))
    ).steps as { type: string; meta: { error?: string } }[];
    expect(steps.some((s) => s.type === "activity" && s.meta.error?.includes("interrupted"))).toBe(
      true,
    );
  } finally {
    await receiver.close();
  }
});

test("a batch survives kill -9 during its window and runs once after the restart", async () => {
  test.setTimeout(120_000); // two starts of a server of its own
  const server = await ownServer(await freePort());
  try {
    await server.start();
    const { api } = await userWithToken(server.base);
    const { botId, scenario } = await scriptedBot(api, "batchcrash", [{ text: "after restart" }]);
    const t = await createTrigger(api, {
      botId,
      authenticate: false,
      batch: { window: 3000, maxWait: 60_000 },
    });
    for (let i = 0; i < 5; i++)
      expect((await post(api, server.base, t.id, { text: `held ${i}` })).status()).toBe(202);
    await server.kill9();
    expect(await modelRequests(scenario)).toHaveLength(0);
    await server.start();
    const events = await waitForEvents(api, t.id, 5, 30_000);
    expect(events.every((e) => e.status === "completed")).toBe(true);
    expect(new Set(events.map((e) => e.batchId)).size).toBe(1);
    const requests = await modelRequests(scenario);
    expect(requests).toHaveLength(1);
    expect(sent(requests[0]).match(/<event id=/g)).toHaveLength(5);
  } finally {
    await server.stop();
  }
});

test("two servers on one PostgreSQL run each batch once", async () => {
  test.skip(!process.env.DATABASE_URL, "several servers share a database only on PostgreSQL");
  test.setTimeout(120_000); // two servers of its own
  const first = await ownServer(await freePort());
  try {
    await first.start();
    const second = await ownServer(await freePort(), { databaseUrl: first.databaseUrl });
    await second.start();
    try {
      const { api } = await userWithToken(first.base);
      const { botId, scenario } = await scriptedBot(api, "batch2srv", [{ text: "once" }]);
      const t = await createTrigger(api, {
        botId,
        authenticate: false,
        batch: { window: 5000, maxEvents: 100 },
      });
      for (let i = 0; i < 12; i++)
        await post(api, i % 2 ? second.base : first.base, t.id, { text: `both ${i}` });
      const events = await waitForEvents(api, t.id, 12);
      expect(events.every((e) => e.status === "completed")).toBe(true);
      expect(new Set(events.map((e) => e.batchId)).size).toBe(1);
      expect(await modelRequests(scenario)).toHaveLength(1);
    } finally {
      await second.kill9();
    }
  } finally {
    await first.stop();
  }
});

test("a batched event replays alone; cancelling a held event takes it out of its batch", async ({
  request,
}) => {
  const { api } = await userWithToken();
  const { botId, scenario } = await scriptedBot(api, "batchcancel", [{ text: "ok" }]);
  const t = await createTrigger(api, {
    botId,
    authenticate: false,
    batch: { window: 5000 },
  });
  const ids: string[] = [];
  for (let i = 0; i < 3; i++)
    ids.push((await json(await post(request, "", t.id, { text: `c${i}` }), 202)).id);
  await json(
    await api.post(`/api/v1/integration/trigger/${t.id}/event/${ids[1]}/cancel`, { data: {} }),
  );
  await expect
    .poll(async () => (await listEvents(api, t.id)).filter((e) => e.status === "completed").length)
    .toBe(2);
  expect((await listEvents(api, t.id)).find((e) => e.id === ids[1])?.status).toBe("cancelled");
  const requests = await modelRequests(scenario);
  expect(requests).toHaveLength(1);
  expect(sent(requests[0])).not.toContain("c1");

  const replay = await json(
    await api.post(`/api/v1/integration/trigger/${t.id}/event/${ids[0]}/replay`, { data: {} }),
  );
  await expect
    .poll(async () => (await listEvents(api, t.id)).find((e) => e.id === replay.eventId)?.status)
    .toBe("completed");
  const replayed = (await listEvents(api, t.id)).find((e) => e.id === replay.eventId)!;
  expect(replayed.batchId).toBeNull();
  expect(await modelRequests(scenario)).toHaveLength(2);
});

test("the dashboard: batching set in the trigger's settings; the inspector shows the batch; the overview counts the runs saved", async ({
  page,
}) => {
  await signUpInBrowser(page);
  const scenario = `ui-batch-${Date.now().toString(36)}`;
  await scriptLlm(scenario, [{ text: "All three handled." }]);
  const { id: botId } = await apiAs(page, "/api/v1/bot/create", {
    name: "Batch bot",
    model: "openai/stub",
    backstory: `[scenario:${scenario}]`,
  });
  const trigger = await apiAs(page, "/api/v1/integration/trigger/create", {
    botId,
    name: "Chat messages",
    authenticate: false,
  });
  await page.goto(`/triggers/${trigger.id}?tab=settings`);
  await page.getByRole("switch", { name: "Batch events that arrive together" }).click();
  await page.getByLabel("Quiet for (seconds)").fill("2");
  await page.getByLabel("Wait at most (seconds)").fill("30");
  await page.getByLabel("At most events per run").fill("10");
  await choose(page, "An event for a conversation whose run is going on", /Join/);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Trigger saved")).toBeVisible();
  const saved = await apiAs(page, `/api/v1/integration/trigger/${trigger.id}/fetch`);
  expect(saved).toMatchObject({
    batch: { window: 2000, maxWait: 30_000, maxEvents: 10, key: null },
    onBusy: "merge",
  });

  for (const text of ["hi", "are you there?", "my order is late"])
    await page.request.post(`/v1/integration/trigger/${trigger.id}/event?session=u1`, {
      data: { text },
    });
  await page.goto(`/triggers/${trigger.id}?tab=events`);
  await expect(page.getByText("one run for 3 events")).toBeVisible({ timeout: 20_000 });
  await page
    .getByRole("link", { name: /Inspect event/ })
    .first()
    .click();
  const events = page.getByRole("list", { name: "Events of the run" });
  await expect(events.getByRole("listitem")).toHaveCount(3);
  await page.goto(`/triggers/${trigger.id}`);
  await expect(page.getByTestId("batch-savings")).toContainText(
    "3 events in 1 run; batching saved 2 runs",
  );
});
