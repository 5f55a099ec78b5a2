import { expect, test } from "@playwright/test";
import { CloudEvent, emitterFor, httpTransport, Mode } from "cloudevents";
import { baseURL, userWithToken } from "./fixtures/accounts";
import {
  contentText,
  listEvents,
  modelRequests,
  scriptedBot,
  waitForEvents,
} from "./fixtures/pipeline";
import { createTrigger, json } from "./fixtures/resources";

// CloudEvents on the event URL, sent with the `cloudevents` package itself: binary and structured
// mode through its emitter, batch mode through its HTTP transport (its emitter has no batch mode).

const order = (id: string, type = "com.shop.order.paid") =>
  new CloudEvent({
    id,
    source: "/shop/orders",
    type,
    subject: `order-${id}`,
    datacontenttype: "application/json",
    data: { text: `Order ${id} was paid`, amount: 99 },
  });

type Answer = { id: string; status: string; duplicate?: boolean };

test("binary, structured and batch CloudEvents are stored once each with their attributes; a repeated id is not stored again; the bot sees the attributes", async () => {
  const { api } = await userWithToken();
  const { botId, scenario } = await scriptedBot(api, "cloudevents", [{ text: "Noted." }]);
  const t = await createTrigger(api, { botId, authenticate: true });
  const url = `${baseURL()}/v1/integration/trigger/${t.id}/event`;
  const auth = { headers: { authorization: `Bearer ${t.secret}` } };
  const binary = emitterFor(httpTransport(url), { mode: Mode.BINARY });
  const structured = emitterFor(httpTransport(url), { mode: Mode.STRUCTURED });

  const first = JSON.parse(
    ((await binary(order("ce-1"), auth)) as { body: string }).body,
  ) as Answer;
  expect(first).toMatchObject({ id: expect.stringMatching(/^event_/), status: "queued" });
  const again = JSON.parse(
    ((await binary(order("ce-1"), auth)) as { body: string }).body,
  ) as Answer;
  expect(again).toEqual({ id: first.id, status: expect.any(String), duplicate: true });

  const second = JSON.parse(
    ((await structured(order("ce-2"), auth)) as { body: string }).body,
  ) as Answer;
  expect(second.id).not.toBe(first.id);

  const batch = (await httpTransport(url)(
    {
      headers: { "content-type": "application/cloudevents-batch+json" },
      body: JSON.stringify([order("ce-3"), order("ce-4"), order("ce-1")]),
    },
    auth,
  )) as { body: string };
  const { events } = JSON.parse(batch.body) as { events: Answer[] };
  expect(events).toHaveLength(3);
  expect(events[2]).toMatchObject({ id: first.id, duplicate: true });
  expect(events[0].duplicate).toBeUndefined();

  const stored = await waitForEvents(api, t.id, 4);
  expect(stored).toHaveLength(4);
  const detail = await json(
    await api.get(`/api/v1/integration/trigger/${t.id}/event/${first.id}/fetch`),
  );
  expect(detail.payload).toEqual({ text: "Order ce-1 was paid", amount: 99 });
  expect(detail.cloudEvent).toMatchObject({
    id: "ce-1",
    source: "/shop/orders",
    type: "com.shop.order.paid",
    subject: "order-ce-1",
    specversion: "1.0",
  });
  expect(detail.idempotencyKey).toBe("ce:/shop/orders#ce-1");
  const sent = (await modelRequests(scenario)).map((r) =>
    r.messages.map((m) => contentText(m.content)).join("\n"),
  );
  expect(
    sent.some((m) => m.includes("CloudEvent:") && m.includes("type: com.shop.order.paid")),
  ).toBe(true);
});

test("a filter can read the CloudEvent's type; a malformed or oversized delivery is a clear 4xx", async ({
  request,
}) => {
  const { api } = await userWithToken();
  const { botId } = await scriptedBot(api, "ce-filter", [{ text: "ok" }]);
  const t = await createTrigger(api, {
    botId,
    authenticate: false,
    filter: 'cloudevent.type == "com.shop.order.paid"',
  });
  const url = `${baseURL()}/v1/integration/trigger/${t.id}/event`;
  const emit = emitterFor(httpTransport(url), { mode: Mode.STRUCTURED });
  const paid = JSON.parse(((await emit(order("f-1"))) as { body: string }).body) as Answer;
  const refunded = JSON.parse(
    ((await emit(order("f-2", "com.shop.order.refunded"))) as { body: string }).body,
  ) as Answer;
  expect(paid.status).toBe("queued");
  expect(refunded.status).toBe("filtered");

  const path = `/v1/integration/trigger/${t.id}/event`;
  const missingType = await request.post(path, {
    headers: { "content-type": "application/cloudevents+json" },
    data: JSON.stringify({ specversion: "1.0", id: "x", source: "/s" }),
  });
  expect(missingType.status()).toBe(400);
  expect(await missingType.json()).toMatchObject({
    code: "BAD_REQUEST",
    message: expect.stringContaining("Not a valid CloudEvent"),
  });
  const tooMany = await request.post(path, {
    headers: { "content-type": "application/cloudevents-batch+json" },
    data: JSON.stringify(Array.from({ length: 101 }, (_, i) => order(`b-${i}`))),
  });
  expect(tooMany.status()).toBe(413);
  expect((await listEvents(api, t.id)).length).toBe(2);
});

test("the CloudEvents webhook handshake (OPTIONS with WebHook-Request-Origin) is answered for a trigger", async ({
  request,
}) => {
  const { api } = await userWithToken();
  const { botId } = await scriptedBot(api, "ce-handshake", [{ text: "ok" }]);
  const t = await createTrigger(api, { botId, authenticate: true, rateLimitPerSecond: 5 });
  const res = await request.fetch(`/v1/integration/trigger/${t.id}/event`, {
    method: "OPTIONS",
    headers: { "WebHook-Request-Origin": "eventemitter.example.com" },
  });
  expect(res.status()).toBe(200);
  expect(res.headers()["webhook-allowed-origin"]).toBe("eventemitter.example.com");
  expect(res.headers()["webhook-allowed-rate"]).toBe("300");
  expect(res.headers()["allow"]).toContain("POST");
  const unknown = await request.fetch(
    "/v1/integration/trigger/trigger_00000000000000000000000000/event",
    { method: "OPTIONS", headers: { "WebHook-Request-Origin": "eventemitter.example.com" } },
  );
  expect(unknown.status()).toBe(404);
  expect(await listEvents(api, t.id)).toHaveLength(0);
});
