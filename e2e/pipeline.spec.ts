import { createHmac } from "node:crypto";
import { expect, test } from "@playwright/test";
import { userWithToken } from "./fixtures/accounts";
import {
  messagesOf,
  scenarioName,
  scriptLlm,
  sendEvent,
  startReceiver,
  waitForEvents,
} from "./fixtures/pipeline";
import { createBot, createTrigger, expectError, json } from "./fixtures/resources";

test.describe("event pipeline", () => {
  test("event -> 202 -> conversation with the event, the ability call (receiver hit with the templated body) and the bot reply", async ({
    request,
  }) => {
    const receiver = await startReceiver();
    const { api } = await userWithToken();
    const scenario = scenarioName("order");
    await scriptLlm(scenario, [
      { tool: "update_order", args: { orderId: "A-17", note: 'rush "now"' } },
      { text: "Order A-17 marked as shipped." },
    ]);
    const { id: skillsetId } = await json(
      await api.post("/api/v1/skillset/create", { data: { name: "Orders API" } }),
    );
    await json(
      await api.post(`/api/v1/skillset/${skillsetId}/ability/create`, {
        data: {
          name: "update_order",
          description: "Update an order",
          kind: "http_request",
          config: {
            method: "POST",
            url: `${receiver.url}/orders/{{input.orderId}}`,
            body: '{"note":"{{input.note}}","customer":"{{event.payload.customer.email}}"}',
          },
        },
      }),
    );
    const botId = await createBot(api, {
      model: "openai/stub-model",
      backstory: `You ship orders. [scenario:${scenario}]`,
      skillsetId,
    });
    const trigger = await createTrigger(api, { botId, name: "Orders" });

    const res = await sendEvent(request, trigger.id, {
      secret: trigger.secret,
      data: { text: "Ship order A-17", customer: { email: "ann@example.com" } },
    });
    expect(res.status()).toBe(202);
    const accepted = await res.json();
    expect(accepted).toEqual({ id: expect.stringMatching(/^event_/), status: "queued" });

    const [event] = await waitForEvents(api, trigger.id, 1);
    expect(event).toMatchObject({
      id: accepted.id,
      status: "completed",
      attempts: 1,
      error: null,
      kind: "event",
    });

    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]).toMatchObject({ method: "POST", url: "/orders/A-17" });
    expect(JSON.parse(receiver.requests[0].body)).toEqual({
      note: 'rush "now"',
      customer: "ann@example.com",
    });

    const msgs = await messagesOf(api, event.conversationId!);
    expect(msgs.map((m) => m.type)).toEqual(["user", "activity", "bot"]);
    expect(msgs[0]).toMatchObject({
      text: "Ship order A-17",
      eventId: event.id,
      meta: {
        kind: "event",
        contentType: "application/json",
        payload: { text: "Ship order A-17", customer: { email: "ann@example.com" } },
      },
    });
    expect(msgs[1].meta).toMatchObject({
      tool: "update_order",
      input: { orderId: "A-17" },
      output: { status: 200, body: '{"ok":true,"order":"shipped"}' },
      error: null,
    });
    expect(typeof msgs[1].meta.durationMs).toBe("number");
    expect(msgs[2].text).toBe("Order A-17 marked as shipped.");

    // lastTriggerAt is written at most once a second per trigger
    await expect
      .poll(
        async () =>
          (await json(await api.get(`/api/v1/integration/trigger/${trigger.id}/fetch`)))
            .lastTriggerAt,
        { timeout: 5000 },
      )
      .not.toBeNull();
    const convs = await json(await api.get(`/api/v1/conversation/list?triggerId=${trigger.id}`));
    expect(convs.items.map((c: { id: string }) => c.id)).toEqual([event.conversationId]);
    await receiver.close();
  });

  test("an ability refused by the private-address guard is recorded as a failed tool call", async ({
    request,
  }) => {
    const { api } = await userWithToken();
    const scenario = scenarioName("ssrf");
    await scriptLlm(scenario, [{ tool: "metadata", args: {} }, { text: "Could not reach it." }]);
    const { id: skillsetId } = await json(
      await api.post("/api/v1/skillset/create", { data: { name: "x" } }),
    );
    await json(
      await api.post(`/api/v1/skillset/${skillsetId}/ability/create`, {
        data: {
          name: "metadata",
          kind: "http_request",
          config: { url: "http://169.254.169.254/latest/meta-data/" },
        },
      }),
    );
    const botId = await createBot(api, {
      model: "openai/stub",
      backstory: `[scenario:${scenario}]`,
      skillsetId,
    });
    const trigger = await createTrigger(api, { botId, authenticate: false });
    expect((await sendEvent(request, trigger.id, { data: { text: "go" } })).status()).toBe(202);
    const [event] = await waitForEvents(api, trigger.id, 1);
    const msgs = await messagesOf(api, event.conversationId!);
    expect(msgs.map((m) => m.type)).toEqual(["user", "activity", "bot"]);
    expect(String(msgs[1].meta.error)).toBe("refused: not a public address");
  });

  test("bodies: form-encoded, text, XML, empty; 413 beyond 1 MiB; malformed JSON 400", async ({
    request,
  }) => {
    const { api } = await userWithToken();
    const trigger = await createTrigger(api, { authenticate: false });
    const form = await request.post(`/v1/integration/trigger/${trigger.id}/event`, {
      form: { text: "from curl", n: "1" },
    });
    expect(form.status()).toBe(202);
    const text = await request.post(`/v1/integration/trigger/${trigger.id}/event`, {
      headers: { "content-type": "text/plain" },
      data: Buffer.from("plain words"),
    });
    expect(text.status()).toBe(202);
    const xml = await request.post(`/v1/integration/trigger/${trigger.id}/event`, {
      headers: { "content-type": "application/xml" },
      data: Buffer.from("<a>1</a>"),
    });
    expect(xml.status()).toBe(202);
    const empty = await request.post(`/v1/integration/trigger/${trigger.id}/event`);
    expect(empty.status()).toBe(202);
    await expectError(
      await request.post(`/v1/integration/trigger/${trigger.id}/event`, {
        headers: { "content-type": "application/json" },
        data: Buffer.from("{oops"),
      }),
      400,
      "BAD_REQUEST",
    );
    const big = await request.post(`/v1/integration/trigger/${trigger.id}/event`, {
      headers: { "content-type": "text/plain" },
      data: Buffer.alloc(1024 * 1024 + 1, 97),
    });
    expect(big.status()).toBe(413);
    expect(await big.json()).toMatchObject({ code: "CONTENT_TOO_LARGE" });

    const rows = await waitForEvents(api, trigger.id, 4);
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    const payloads = await Promise.all(
      [form, text, xml, empty].map(async (r) => {
        const ev = byId[(await r.json()).id];
        const msgs = await messagesOf(api, ev.conversationId!);
        return {
          text: msgs[0].text,
          contentType: msgs[0].meta.contentType,
          payload: msgs[0].meta.payload,
        };
      }),
    );
    expect(payloads).toEqual([
      {
        text: "from curl",
        contentType: "application/x-www-form-urlencoded",
        payload: { text: "from curl", n: "1" },
      },
      { text: "plain words", contentType: "text/plain", payload: "plain words" },
      { text: "<a>1</a>", contentType: "application/xml", payload: "<a>1</a>" },
      { text: "Event with an empty body", contentType: null, payload: null },
    ]);
  });

  test("authentication: bearer, GitHub signature, wrong secret, unknown trigger; idempotency", async ({
    request,
  }) => {
    const { api } = await userWithToken();
    const trigger = await createTrigger(api);
    const body = JSON.stringify({ action: "opened", number: 7 });
    await expectError(
      await sendEvent(request, trigger.id, { data: { a: 1 } }),
      401,
      "UNAUTHORIZED",
    );
    await expectError(
      await sendEvent(request, trigger.id, { secret: "0".repeat(64), data: { a: 1 } }),
      401,
      "UNAUTHORIZED",
    );
    expect(
      (await sendEvent(request, trigger.id, { secret: trigger.secret, data: { a: 1 } })).status(),
    ).toBe(202);

    const signature = `sha256=${createHmac("sha256", trigger.secret).update(body).digest("hex")}`;
    const signed = await request.post(`/v1/integration/trigger/${trigger.id}/event`, {
      headers: {
        "content-type": "application/json",
        "x-hub-signature-256": signature,
        "x-github-event": "issues",
      },
      data: Buffer.from(body),
    });
    expect(signed.status()).toBe(202);
    const tampered = await request.post(`/v1/integration/trigger/${trigger.id}/event`, {
      headers: { "content-type": "application/json", "x-hub-signature-256": signature },
      data: Buffer.from(body.replace("7", "8")),
    });
    await expectError(tampered, 401, "UNAUTHORIZED");

    await expectError(
      await sendEvent(request, "trigger_01ARZ3NDEKTSV4RRFFQ69G5FAV", { data: {} }),
      404,
      "NOT_FOUND",
    );
    await expectError(await sendEvent(request, "..%2F..%2Fetc", { data: {} }), 404, "NOT_FOUND");

    const first = await sendEvent(request, trigger.id, {
      secret: trigger.secret,
      data: { n: 1 },
      headers: { "idempotency-key": "delivery-1" },
    });
    expect(first.status()).toBe(202);
    const again = await sendEvent(request, trigger.id, {
      secret: trigger.secret,
      data: { n: 1 },
      headers: { "idempotency-key": "delivery-1" },
    });
    expect(again.status()).toBe(200);
    expect(await again.json()).toEqual({
      id: (await first.json()).id,
      status: expect.stringMatching(/^(queued|processing|completed)$/),
      duplicate: true,
    });
    await waitForEvents(api, trigger.id, 3);

    // deleted trigger: the URL stops working, its conversations remain
    const conversations = (
      await json(await api.get(`/api/v1/conversation/list?triggerId=${trigger.id}`))
    ).items;
    expect(conversations.length).toBe(3);
    await json(await api.post(`/api/v1/integration/trigger/${trigger.id}/delete`));
    await expectError(
      await sendEvent(request, trigger.id, { secret: trigger.secret, data: {} }),
      404,
      "NOT_FOUND",
    );
    expect(
      (await json(await api.get(`/api/v1/conversation/list?triggerId=${trigger.id}`))).items,
    ).toHaveLength(3);
  });

  test("sessions: ?session= continues one conversation, contact keys, concurrent events stay in arrival order", async ({
    request,
  }) => {
    const { api } = await userWithToken();
    const trigger = await createTrigger(api, { authenticate: false, sessionDuration: 3_600_000 });
    for (const n of [1, 2])
      expect(
        (
          await sendEvent(request, trigger.id, { query: "session=chat-1", data: { text: `s${n}` } })
        ).status(),
      ).toBe(202);
    for (const n of [1, 2])
      expect(
        (
          await sendEvent(request, trigger.id, {
            query: "contact.email=Ann@Example.com&contact.name=Ann",
            data: { text: `c${n}` },
          })
        ).status(),
      ).toBe(202);
    expect((await sendEvent(request, trigger.id, { data: { text: "alone" } })).status()).toBe(202);
    const rows = await waitForEvents(api, trigger.id, 5);
    const conv = (text: string) => rows.find((r) => r.id === ids[text])?.conversationId;
    const ids: Record<string, string> = {};
    for (const r of rows) {
      const msgs = await messagesOf(api, r.conversationId!);
      ids[msgs.find((m) => m.eventId === r.id)!.text] = r.id;
    }
    expect(conv("s1")).toBe(conv("s2"));
    expect(conv("c1")).toBe(conv("c2"));
    expect(new Set([conv("s1"), conv("c1"), conv("alone")]).size).toBe(3);
    const contacts = (await json(await api.get("/api/v1/contact/list"))).items;
    expect(contacts).toEqual([expect.objectContaining({ email: "ann@example.com", name: "Ann" })]);
    const c = await json(await api.get(`/api/v1/conversation/${conv("c1")}/fetch`));
    expect(c.contactId).toBe(contacts[0].id);

    // 12 concurrent events in one session: recorded in arrival (event id) order
    const trigger2 = await createTrigger(api, { authenticate: false });
    const sent = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        sendEvent(request, trigger2.id, { query: "session=burst", data: { text: `m${i}` } }),
      ),
    );
    const accepted = await Promise.all(
      sent.map(async (r) => (expect(r.status()).toBe(202), (await r.json()).id as string)),
    );
    const done = await waitForEvents(api, trigger2.id, 12);
    expect(new Set(done.map((e) => e.conversationId)).size).toBe(1);
    const msgs = await messagesOf(api, done[0].conversationId!);
    const userEvents = msgs.filter((m) => m.type === "user").map((m) => m.eventId);
    expect(userEvents).toEqual([...accepted].sort());
    // each event's reply follows its own user message
    expect(msgs.map((m) => m.type)).toEqual(
      Array.from({ length: 12 }, () => ["user", "bot"]).flat(),
    );
  });

  test("invoke queues an invoke run on the trigger's own conversation", async () => {
    const { api } = await userWithToken();
    const trigger = await createTrigger(api);
    const a = await json(
      await api.post(`/api/v1/integration/trigger/${trigger.id}/invoke`, { data: {} }),
    );
    await waitForEvents(api, trigger.id, 1);
    const b = await json(
      await api.post(`/api/v1/integration/trigger/${trigger.id}/invoke`, {
        data: { text: "again" },
      }),
    );
    const rows = await waitForEvents(api, trigger.id, 2);
    expect(rows.map((r) => r.kind)).toEqual(["invoke", "invoke"]);
    expect(rows.map((r) => r.id).sort()).toEqual([a.eventId, b.eventId].sort());
    expect(rows[0].conversationId).toBe(rows[1].conversationId);
    const msgs = await messagesOf(api, rows[0].conversationId!);
    expect(msgs.filter((m) => m.type === "user").map((m) => m.text)).toEqual([
      "Manual invocation",
      "again",
    ]);
    expect(msgs.filter((m) => m.type === "bot")[0].text).toContain("[echo: offline model, no LLM]");
  });
});
