import { readFileSync } from "node:fs";
import http from "node:http";
import { expect, test } from "@playwright/test";
import { userWithToken } from "./fixtures/accounts";
import { freePort, ownServer } from "./fixtures/own-server";
import { scriptedBot, startReceiver } from "./fixtures/pipeline";
import { createTrigger, json } from "./fixtures/resources";

type Span = {
  name: string;
  traceId: string;
  attributes: Record<string, unknown>;
  links: { traceId: string }[];
};

/** A loopback OTLP/HTTP (JSON) receiver: every span it is sent, attributes flattened. */
async function startOtlpReceiver() {
  const spans: Span[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.url === "/v1/traces") {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      for (const rs of body.resourceSpans ?? [])
        for (const ss of rs.scopeSpans ?? [])
          for (const s of ss.spans ?? [])
            spans.push({
              name: s.name,
              traceId: s.traceId,
              attributes: Object.fromEntries(
                (s.attributes ?? []).map((a: { key: string; value: Record<string, unknown> }) => [
                  a.key,
                  Object.values(a.value)[0],
                ]),
              ),
              links: s.links ?? [],
            });
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end("{}");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    spans,
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Prometheus text format to `name{labels}` -> value. */
function parseMetrics(text: string) {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const m = line.match(/^([a-zA-Z_:][\w:]*(?:\{[^}]*\})?) (\S+)/);
    if (!m) throw new Error(`not a sample line: ${line}`);
    out.set(m[1], Number(m[2]));
  }
  return out;
}

const METRICS_TOKEN = "metrics-token-0123456789abcdef";

test("operators see it: metrics move after events, one log line per event with ids and no secrets, the spans of an event reach an OTLP receiver, tokens are counted and a budget stops the trigger", async () => {
  test.setTimeout(180_000);
  const otlp = await startOtlpReceiver();
  const receiver = await startReceiver();
  const server = await ownServer(await freePort(), {
    env: {
      METRICS_TOKEN,
      LOG_LEVEL: "debug",
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_BSP_SCHEDULE_DELAY: "200",
      ABILITY_HTTP_ALLOW_HOSTS: "127.0.0.1",
    },
  });
  await server.start();
  try {
    const scrape = async () => {
      const res = await fetch(`${server.base}/api/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/plain");
      return parseMetrics(await res.text());
    };
    expect((await fetch(`${server.base}/api/metrics`)).status).toBe(401);
    const before = await scrape();
    expect(before.get("process_cpu_user_seconds_total")).toBeGreaterThanOrEqual(0);
    expect(before.get("trigger_events_queued")).toBe(0);

    const { api, token } = await userWithToken(server.base);
    const { id: skillsetId } = await json(
      await api.post("/api/v1/skillset/create", { data: { name: "Shop" } }),
    );
    await json(
      await api.post(`/api/v1/skillset/${skillsetId}/ability/create`, {
        data: {
          name: "get_order",
          kind: "http_request",
          config: { method: "GET", url: `${receiver.url}/orders/{{input.id}}` },
        },
      }),
    );
    const { botId } = await scriptedBot(
      api,
      "observe",
      [{ tool: "get_order", args: { id: "42" } }, { text: "Order 42 is shipped." }],
      { skillsetId },
    );
    const trigger = await createTrigger(api, { botId });
    const marker = `PAYLOAD-MARKER-${Date.now()}`;
    // the contact rides in the query string, which no span may carry (security, second pass, 8)
    const contact = `spans-${Date.now()}@example.test`;
    const send = (secret: string) =>
      fetch(
        `${server.base}/v1/integration/trigger/${trigger.id}/event?contact.email=${encodeURIComponent(contact)}`,
        {
          method: "POST",
          headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
          body: JSON.stringify({ text: `Order 42 paid ${marker}`, note: marker }),
        },
      );
    const accepted = await send(trigger.secret);
    expect(accepted.status).toBe(202);
    const { id: eventId } = await accepted.json();
    expect((await send(`wrong-${marker}`)).status).toBe(401);

    let event: Record<string, unknown> = {};
    await expect
      .poll(
        async () => {
          const list = await json(
            await api.get(`/api/v1/integration/trigger/${trigger.id}/event/list`),
          );
          event = list.items.find((e: { id: string }) => e.id === eventId);
          return event?.status;
        },
        { timeout: 30_000 },
      )
      .toBe("completed");
    // two model calls (the tool call, then the answer), 10 + 5 tokens each from the stub
    expect(event).toMatchObject({ inputTokens: 20, outputTokens: 10 });

    const after = await scrape();
    const grew = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
    expect(grew('trigger_events_received_total{outcome="202"}')).toBe(1);
    expect(grew('trigger_events_received_total{outcome="401"}')).toBe(1);
    expect(grew('trigger_event_processing_seconds_count{outcome="completed"}')).toBe(1);
    expect(grew('trigger_event_end_to_end_seconds_count{status="completed"}')).toBe(1);
    expect(grew('trigger_model_calls_total{model="openai/stub"}')).toBe(2);
    expect(grew('trigger_model_tokens_total{model="openai/stub",kind="input"}')).toBe(20);
    expect(grew('trigger_ability_calls_total{outcome="ok"}')).toBe(1);
    expect(grew('trigger_ability_call_duration_seconds_count{outcome="ok"}')).toBe(1);
    expect(after.has("trigger_runner_busy_workers")).toBe(true);
    // the Grafana dashboard in docs/ asks only for metrics this server exports
    const dashboard = readFileSync("docs/grafana-dashboard.json", "utf8");
    const asked = new Set(dashboard.match(/\b(?:trigger|process|nodejs)_[a-z0-9_]+/g));
    const exported = new Set([...after.keys()].map((k) => k.replace(/\{.*$/, "")));
    for (const name of asked) expect(exported, `${name} in the dashboard`).toContain(name);
    expect(after.get("trigger_events_oldest_queued_age_seconds")).toBe(0);

    // usage, per trigger and day
    const usage = await json(await api.get(`/api/v1/integration/trigger/${trigger.id}/usage`));
    expect(usage).toMatchObject({ inputTokens: 20, outputTokens: 10, totalTokens: 30, events: 1 });
    expect(usage.days).toEqual([
      { day: new Date().toISOString().slice(0, 10), events: 1, inputTokens: 20, outputTokens: 10 },
    ]);
    const fetched = await json(await api.get(`/api/v1/integration/trigger/${trigger.id}/fetch`));
    expect(fetched.tokensUsedThisMonth).toBe(30);

    // the spans of the event: ingest links to the event's trace; claim, processing, the model
    // calls and the ability call are in it
    await expect
      .poll(() => otlp.spans.filter((s) => s.attributes["event.id"] === eventId).length, {
        timeout: 30_000,
      })
      .toBeGreaterThanOrEqual(6);
    const ofEvent = otlp.spans.filter((s) => s.attributes["event.id"] === eventId);
    const named = (name: string) => ofEvent.filter((s) => s.name === name);
    const [processing] = named("event.process");
    expect(processing.attributes).toMatchObject({
      "trigger.id": trigger.id,
      "event.outcome": "completed",
    });
    expect(named("event.claim")).toHaveLength(1);
    expect(named("model.call")).toHaveLength(2);
    expect(named("model.call")[0].attributes["gen_ai.usage.input_tokens"]).toBe(10);
    expect(named("ability.call")[0].attributes).toMatchObject({ "ability.name": "get_order" });
    for (const s of [...named("event.claim"), ...named("model.call"), ...named("ability.call")])
      expect(s.traceId).toBe(processing.traceId);
    const [ingest] = named("event.ingest");
    expect(ingest.links.map((l) => l.traceId)).toContain(processing.traceId);
    const sent = JSON.stringify(otlp.spans);
    expect(sent).not.toContain(contact);
    expect(sent).not.toContain(encodeURIComponent(contact));
    expect(sent).not.toContain("contact.email=");

    // a budget, once spent, stops the trigger's events with a sentence
    await json(
      await api.post(`/api/v1/integration/trigger/${trigger.id}/update`, {
        data: { monthlyTokenBudget: 30 },
      }),
    );
    const refused = await send(trigger.secret);
    expect(refused.status).toBe(202);
    const { id: overBudget } = await refused.json();
    await expect
      .poll(
        async () => {
          const list = await json(
            await api.get(`/api/v1/integration/trigger/${trigger.id}/event/list`),
          );
          return list.items.find((e: { id: string }) => e.id === overBudget)?.error ?? null;
        },
        { timeout: 30_000 },
      )
      .toMatch(/monthly token budget is spent \(30 of 30 tokens/);

    // bodies that are not JSON: the answer (and so the log line of the failed request) says where
    // the problem is, never what the body held
    const broken = await fetch(`${server.base}/v1/integration/trigger/${trigger.id}/event`, {
      method: "POST",
      headers: { authorization: `Bearer ${trigger.secret}`, "content-type": "application/json" },
      body: `{"note": "${marker}" oops}`,
    });
    expect(broken.status).toBe(400);
    expect(await broken.text()).not.toContain(marker);
    const signup = await fetch(`${server.base}/api/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: `{"email": "nobody@example.com", "password": ${marker}}`,
    });
    expect(signup.status).toBe(400);
    expect(await signup.text()).not.toContain(marker);

    // logs: one JSON line per processed event with its ids; never a secret, a token or the payload
    const lines = server.log
      .join("")
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l));
    const processed = lines.find((l) => l.msg === "event processed" && l.event === eventId);
    expect(processed).toMatchObject({
      trigger: trigger.id,
      owner: expect.stringMatching(/^user_/),
      conversation: expect.stringMatching(/^conversation_/),
      outcome: "completed",
    });
    expect(lines.some((l) => l.msg?.startsWith("request failed") && l.status === 401)).toBe(true);
    const all = server.log.join("");
    expect(all).not.toContain(trigger.secret);
    expect(all).not.toContain(token);
    expect(all).not.toContain(marker);
  } finally {
    await server.stop();
    await otlp.close();
    await receiver.close();
  }
});
