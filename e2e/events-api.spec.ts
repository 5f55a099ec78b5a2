import { expect, test } from "@playwright/test";
import { userWithToken } from "./fixtures/accounts";
import {
  listEvents,
  messagesOf,
  modelCalls,
  scenarioName,
  scriptLlm,
  sendEvent,
  skillsetWithOrderLookup,
  startReceiver,
  waitForEvents,
} from "./fixtures/pipeline";
import { createBot, createTrigger, expectError, json } from "./fixtures/resources";

test.describe("events over HTTP", () => {
  test("curl's --data with JSON (a form content type) is stored as JSON; real forms stay forms", async ({
    request,
  }) => {
    const { api } = await userWithToken();
    const t = await createTrigger(api, { authenticate: false });
    const form = { "content-type": "application/x-www-form-urlencoded" };
    for (const body of ['{"a":1,"b":{"c":[1,2]}}', "[1,2,3]", "a=1&b=two"])
      expect(
        (
          await request.post(`/v1/integration/trigger/${t.id}/event`, { headers: form, data: body })
        ).status(),
      ).toBe(202);
    const events = await listEvents(api, t.id);
    const payloads = (
      await json(await api.get(`/api/v1/integration/trigger/${t.id}/event/list?order=asc`))
    ).items.map((e: { payload: unknown; contentType: string }) => [e.payload, e.contentType]);
    expect(events).toHaveLength(3);
    expect(payloads).toEqual([
      [{ a: 1, b: { c: [1, 2] } }, "application/json"],
      [[1, 2, 3], "application/json"],
      [{ a: "1", b: "two" }, "application/x-www-form-urlencoded"],
    ]);
  });

  test("without a session, a contact keys the conversation: email, then phone, then name; each becomes a contact", async ({
    request,
  }) => {
    const { api } = await userWithToken();
    const t = await createTrigger(api, { authenticate: false });
    for (const query of [
      "contact.name=Ann",
      "contact.name=Ann",
      "contact.phone=%2B15550100&contact.name=Bob",
      "contact.phone=%2B15550100",
      "contact.email=cat@example.com&contact.phone=%2B15550199",
      "contact.email=CAT@example.com",
    ])
      expect((await sendEvent(request, t.id, { query, data: { text: query } })).status()).toBe(202);
    const events = await waitForEvents(api, t.id, 6);
    const byQuery = [...events].reverse().map((e) => e.conversationId);
    expect(byQuery[0]).toBe(byQuery[1]); // name alone keys it
    expect(byQuery[2]).toBe(byQuery[3]); // phone before name
    expect(byQuery[4]).toBe(byQuery[5]); // email before phone, case-insensitive
    expect(new Set(byQuery).size).toBe(3);
    const contacts = (await json(await api.get("/api/v1/contact/list?take=100"))).items;
    expect(contacts.map((c: { name: string | null }) => String(c.name)).sort()).toEqual([
      "Ann",
      "Bob",
      "null",
    ]);
    const conversation = await json(await api.get(`/api/v1/conversation/${byQuery[0]}/fetch`));
    expect(contacts.find((c: { id: string }) => c.id === conversation.contactId).name).toBe("Ann");
  });

  test("maxIterations and maxTime round-trip and are checked", async () => {
    const { api } = await userWithToken();
    const t = await createTrigger(api, { maxIterations: 3, maxTime: 5000 });
    const T = `/api/v1/integration/trigger/${t.id}`;
    expect(await json(await api.get(`${T}/fetch`))).toMatchObject({
      maxIterations: 3,
      maxTime: 5000,
    });
    await json(await api.post(`${T}/update`, { data: { maxIterations: 20, maxTime: 300_000 } }));
    expect(await json(await api.get(`${T}/fetch`))).toMatchObject({
      maxIterations: 20,
      maxTime: 300000,
    });
    const bad = await expectError(
      await api.post(`${T}/update`, { data: { maxIterations: 21, maxTime: 999 } }),
      422,
      "VALIDATION_ERROR",
    );
    expect(bad.issues?.map((i) => i.path).sort()).toEqual(["maxIterations", "maxTime"]);
    const plain = await createTrigger(api);
    expect(
      await json(await api.get(`/api/v1/integration/trigger/${plain.id}/fetch`)),
    ).toMatchObject({ maxIterations: 6, maxTime: 60000, prompt: null });
  });

  test("executions: the list under the SDK's name; cancel a queued event (it never runs) and a running one (stopped before its next step)", async ({
    request,
  }) => {
    const receiver = await startReceiver();
    try {
      const { api } = await userWithToken();
      const { skillsetId } = await skillsetWithOrderLookup(api, receiver.url);
      const scenario = scenarioName("cancel");
      // every run: a slow first model call, then a tool call
      await scriptLlm(scenario, [
        { tool: "get_order", args: { id: "1" }, delayMs: 8000 },
        { text: "done" },
      ]);
      const botId = await createBot(api, {
        model: "openai/stub",
        skillsetId,
        backstory: `[scenario:${scenario}]`,
      });
      const t = await createTrigger(api, { botId, authenticate: false });
      const T = `/api/v1/integration/trigger/${t.id}`;
      // two events in one session: the second waits (queued) while the first runs
      const first = (
        await (await sendEvent(request, t.id, { query: "session=s", data: { text: "1" } })).json()
      ).id;
      const second = (
        await (await sendEvent(request, t.id, { query: "session=s", data: { text: "2" } })).json()
      ).id;
      // the first is waiting for its model
      await expect.poll(() => modelCalls(scenario), { intervals: [50] }).toBe(1);
      const calledBy = Date.now();
      const executions = await json(await api.get(`${T}/execution/list`));
      expect(executions.items.map((e: { id: string }) => e.id).sort()).toEqual(
        [first, second].sort(),
      );
      expect(executions.items.find((e: { id: string }) => e.id === second).status).toBe("queued");

      expect(
        await json(await api.post(`${T}/execution/${second}/cancel`, { data: {} })),
      ).toMatchObject({
        eventId: second,
        status: "cancelled",
      });
      expect(await json(await api.post(`${T}/event/${first}/cancel`, { data: {} }))).toMatchObject({
        status: "cancelled",
      });
      await expectError(
        await api.post(`${T}/event/${first}/cancel`, { data: {} }),
        409,
        "CONFLICT",
      );
      await expectError(
        await api.post(`${T}/event/event_00000000000000000000000000/cancel`, { data: {} }),
        404,
        "NOT_FOUND",
      );
      // the first run's model answers with a tool call now: it must stop before calling it
      await new Promise((r) => setTimeout(r, calledBy + 9500 - Date.now()));
      expect(receiver.requests).toHaveLength(0);
      expect(await modelCalls(scenario)).toBe(1); // the second never ran
      const rows = await listEvents(api, t.id);
      expect(rows.map((e) => e.status)).toEqual(["cancelled", "cancelled"]);
      const firstRow = rows.find((e) => e.id === first)!;
      const msgs = await messagesOf(api, firstRow.conversationId!);
      expect(msgs.map((m) => m.type)).toEqual(["user", "activity"]);
      expect(msgs[1].meta.step).toBe("cancel");
      // filters and stats know the status
      const cancelled = await json(await api.get(`${T}/event/list?status=cancelled`));
      expect(cancelled.items).toHaveLength(2);
    } finally {
      await receiver.close();
    }
  });

  test("bulk replay: every event with a status, up to 1,000, linked to the originals", async ({
    request,
  }) => {
    const { api } = await userWithToken();
    const t = await createTrigger(api, { authenticate: false });
    for (let i = 0; i < 3; i++) await sendEvent(request, t.id, { data: { text: `e${i}` } });
    await waitForEvents(api, t.id, 3);
    const T = `/api/v1/integration/trigger/${t.id}`;
    expect(
      await json(await api.post(`${T}/event/replay`, { data: { status: "failed" } })),
    ).toMatchObject({
      replayed: 0,
    });
    const replayed = await json(
      await api.post(`${T}/event/replay`, { data: { status: "completed" } }),
    );
    expect(replayed.replayed).toBe(3);
    const rows = await waitForEvents(api, t.id, 6);
    expect(rows.filter((e) => (e as { replayOf?: string }).replayOf).length).toBe(3);
    // pressing it again replays each event at most once: now only the three replays are new
    const again = await json(
      await api.post(`${T}/event/replay`, { data: { status: "completed" } }),
    );
    expect(again.replayed).toBe(3);
    expect(new Set(again.eventIds).size).toBe(3);
    await expectError(
      await api.post(`${T}/event/replay`, { data: { status: "processing" } }),
      422,
      "VALIDATION_ERROR",
    );
  });

  test("meta.* filters work on every list, and are refused where records have no meta", async () => {
    const { api } = await userWithToken();
    const make = async (path: string, data: Record<string, unknown>) =>
      (await json(await api.post(path, { data }))).id as string;
    const blueprint = await make("/api/v1/blueprint/create", { name: "b1", meta: { team: "a" } });
    await make("/api/v1/blueprint/create", { name: "b2", meta: { team: "b" } });
    const skillset = await make("/api/v1/skillset/create", { name: "s1", meta: { team: "a" } });
    await make("/api/v1/skillset/create", { name: "s2", meta: { team: "b" } });
    const ability = await make(`/api/v1/skillset/${skillset}/ability/create`, {
      name: "x",
      kind: "webhook",
      config: { url: "https://example.com/h" },
      meta: { team: "a" },
    });
    await make(`/api/v1/skillset/${skillset}/ability/create`, {
      name: "y",
      kind: "webhook",
      config: { url: "https://example.com/h" },
      meta: { team: "b" },
    });
    const bot = await make("/api/v1/bot/create", { name: "bot1", meta: { team: "a" } });
    await make("/api/v1/bot/create", { name: "bot2", meta: { team: "b" } });
    const ids = async (path: string) =>
      (await json(await api.get(path))).items.map((i: { id: string }) => i.id);
    expect(await ids("/api/v1/blueprint/list?meta.team=a")).toEqual([blueprint]);
    expect(await ids("/api/v1/skillset/list?meta.team=a")).toEqual([skillset]);
    expect(await ids(`/api/v1/skillset/${skillset}/ability/list?meta.team=a`)).toEqual([ability]);
    expect(await ids("/api/v1/bot/list?meta.team=a")).toEqual([bot]);
    expect(await ids("/api/v1/bot/list?meta.team=a&meta.other=1")).toEqual([]);
    // conversations and contacts take the filter too (no rows carry meta here: nothing matches)
    expect(await ids("/api/v1/conversation/list?meta.team=a")).toEqual([]);
    expect(await ids("/api/v1/contact/list?meta.team=a")).toEqual([]);
    const t = await createTrigger(api);
    await expectError(
      await api.get(`/api/v1/integration/trigger/${t.id}/event/list?meta.team=a`),
      422,
      "VALIDATION_ERROR",
    );
  });
});
