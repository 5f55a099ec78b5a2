import { expect, request as playwrightRequest, test } from "@playwright/test";
import { baseURL, userWithToken } from "./fixtures/accounts";
import {
  listEvents,
  messagesOf,
  scenarioName,
  scriptLlm,
  sendEvent,
  waitForEvents,
} from "./fixtures/pipeline";
import { createBot, createTrigger, expectError, json } from "./fixtures/resources";

test.describe("event pipeline: failures and slow runs", () => {
  test("the LLM failing: retried with back-off, then failed with the error as an activity; the conversation shows the event", async ({
    request,
  }) => {
    test.setTimeout(90_000);
    const { api } = await userWithToken();
    const scenario = scenarioName("down");
    await scriptLlm(scenario, [{ status: 500 }]);
    const botId = await createBot(api, {
      model: "openai/stub",
      backstory: `[scenario:${scenario}]`,
    });
    const trigger = await createTrigger(api, { botId, authenticate: false });
    expect((await sendEvent(request, trigger.id, { data: { text: "will fail" } })).status()).toBe(
      202,
    );
    const [event] = await waitForEvents(api, trigger.id, 1, 60_000);
    expect(event).toMatchObject({ status: "failed", attempts: 3 });
    expect(event.error).toContain("scripted failure 500");
    const calls = await (
      await fetch(`http://127.0.0.1:${process.env.E2E_LLM_PORT}/__calls/${scenario}`)
    ).json();
    expect(calls.calls).toBe(3);
    const msgs = await messagesOf(api, event.conversationId!);
    expect(msgs.map((m) => m.type)).toEqual(["user", "activity"]);
    expect(msgs[0].text).toBe("will fail");
    expect(msgs[1].text).toContain("Processing failed after 3 attempts");

    // a replay is a new event linked to the original
    const replay = await json(
      await api.post(`/api/v1/integration/trigger/${trigger.id}/event/${event.id}/replay`),
    );
    expect(replay.eventId).toMatch(/^event_/);
    await scriptLlm(scenario, [{ text: "fine now" }]);
    const rows = await waitForEvents(api, trigger.id, 2, 30_000);
    const replayed = rows.find((r) => r.id === replay.eventId)!;
    expect(replayed).toMatchObject({ status: "completed" });
    expect(
      (
        await json(
          await api.get(`/api/v1/integration/trigger/${trigger.id}/event/list?status=failed`),
        )
      ).items,
    ).toHaveLength(1);
  });

  test("a slow bot run holds up only its own event: events behind it on other triggers complete meanwhile", async ({
    request,
  }) => {
    test.setTimeout(90_000);
    const { api } = await userWithToken();
    const scenario = scenarioName("slow");
    await scriptLlm(scenario, [{ text: "finally done", delayMs: 20_000 }]);
    const slowBot = await createBot(api, {
      model: "openai/stub",
      backstory: `[scenario:${scenario}]`,
    });
    const slow = await createTrigger(api, { botId: slowBot, authenticate: false });
    const fast = await createTrigger(api, { authenticate: false }); // echo model
    expect((await sendEvent(request, slow.id, { data: { text: "slow one" } })).status()).toBe(202);
    await expect
      .poll(async () => (await listEvents(api, slow.id))[0]?.status, { timeout: 10_000 })
      .toBe("processing");
    for (let i = 0; i < 6; i++)
      expect((await sendEvent(request, fast.id, { data: { n: i } })).status()).toBe(202);
    const done = await waitForEvents(api, fast.id, 6, 20_000);
    expect(done.every((e) => e.status === "completed")).toBe(true);
    // all six finished while the slow run was still waiting for its model
    expect((await listEvents(api, slow.id))[0].status).toBe("processing");
    expect((await waitForEvents(api, slow.id, 1, 40_000))[0]).toMatchObject({
      status: "completed",
    });
  });
});

test("per-trigger rate limit: 429 with Retry-After beyond the burst; rejections counted on the trigger", async ({
  request,
}) => {
  const { api } = await userWithToken();
  const trigger = await createTrigger(api, {
    authenticate: false,
    rateLimitPerSecond: 1,
    rateLimitBurst: 3,
  });
  // sent together, so that they arrive within the second a token takes to come back (one after
  // the other they could take longer on a busy machine, and the sixth would find a new token)
  const answers = await Promise.all(
    Array.from({ length: 6 }, (_, i) => sendEvent(request, trigger.id, { data: { n: i } })),
  );
  const accepted = answers.filter((a) => a.status() === 202);
  const limited = answers.filter((a) => a.status() === 429);
  expect(accepted.length + limited.length).toBe(6);
  expect(accepted.length).toBeGreaterThanOrEqual(3); // the burst
  expect(limited.length).toBeGreaterThanOrEqual(2); // beyond it, at most one token came back
  expect(Number(limited[0].headers()["retry-after"])).toBeGreaterThanOrEqual(1);
  expect(await limited[0].json()).toMatchObject({ code: "RATE_LIMITED" });
  await expect
    .poll(
      async () =>
        (await json(await api.get(`/api/v1/integration/trigger/${trigger.id}/fetch`)))
          .rejectedCount,
      { timeout: 5000 },
    )
    .toBe(limited.length);
  // rejected requests are counted, not stored
  expect(await waitForEvents(api, trigger.id, accepted.length)).toHaveLength(accepted.length);
});

test("the events endpoint needs no API token but the events list does", async () => {
  const anon = await playwrightRequest.newContext({ baseURL: baseURL() });
  await expectError(
    await anon.get("/api/v1/integration/trigger/trigger_01ARZ3NDEKTSV4RRFFQ69G5FAV/event/list"),
    401,
    "UNAUTHORIZED",
  );
  const { api } = await userWithToken();
  const t = await createTrigger(api);
  const other = await userWithToken();
  await expectError(
    await other.api.get(`/api/v1/integration/trigger/${t.id}/event/list`),
    404,
    "NOT_FOUND",
  );
  expect(await listEvents(api, t.id)).toEqual([]);
  await anon.dispose();
});
