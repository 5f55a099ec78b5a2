import fc from "fast-check";
import { expect, test } from "@playwright/test";
import { baseURL, userWithToken } from "./fixtures/accounts";
import { createTrigger, json } from "./fixtures/resources";

const ROUTES = [
  "integration/trigger/create",
  "integration/trigger/list",
  "integration/trigger/{id}/fetch",
  "integration/trigger/{id}/update",
  "integration/trigger/{id}/delete",
  "integration/trigger/{id}/setup",
  "integration/trigger/{id}/invoke",
  "integration/trigger/{id}/secret/rotate",
  "integration/trigger/{id}/event",
  "integration/trigger/{id}/event/list",
  "integration/trigger/{id}/event/stats",
  "integration/trigger/{id}/event/{id}/replay",
  "bot/create",
  "bot/list",
  "bot/{id}/fetch",
  "bot/{id}/update",
  "bot/{id}/delete",
  "skillset/create",
  "skillset/list",
  "skillset/{id}/fetch",
  "skillset/{id}/ability/create",
  "skillset/{id}/ability/list",
  "skillset/{id}/ability/{id}/update",
  "skillset/{id}/ability/{id}/refresh",
  "skillset/{id}/ability/discover",
  "blueprint/create",
  "blueprint/{id}/delete",
  "conversation/list",
  "conversation/{id}/fetch",
  "conversation/{id}/message/list",
  "contact/list",
  "contact/{id}/fetch",
  "token/create",
  "token/list",
  "token/{id}/delete",
  "model/list",
  "notification/endpoint/create",
  "notification/endpoint/list",
  "notification/endpoint/{id}/update",
  "integration/trigger/{id}/pause",
  "integration/trigger/{id}/resume",
  "integration/trigger/{id}/event/{id}/dry-run",
  "integration/trigger/{id}/test/case/create",
  "integration/trigger/{id}/test/run",
  "openapi.json",
  "no/such/route",
];

const nasty = fc.oneof(
  fc.constantFrom(
    "../../etc/passwd",
    "..%2F..%2Fetc",
    "' OR 1=1 --",
    "trigger_01ARZ3NDEKTSV4RRFFQ69G5FAV",
    "%00",
    "%E0%A4%A",
    "🙂",
    "a".repeat(3000),
    "\u0000",
    "\ud800",
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 20 }),
);

const jsonValue = fc.jsonValue({ maxDepth: 4 });
const body = fc.oneof(
  fc.constant(undefined),
  jsonValue.map((v) => JSON.stringify(v)),
  fc
    .record({
      name: nasty,
      botId: nasty,
      schedule: nasty,
      meta: jsonValue,
      sessionDuration: fc.oneof(fc.integer(), fc.double()),
      take: nasty,
    })
    .map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    "{",
    "[1,2",
    "null",
    '{"__proto__":{"x":1}}',
    '{"a":"\\u0000"}',
    '{"a":"\\ud800"}',
    "x".repeat(200_000),
  ),
);

function encodeSegment(s: string) {
  try {
    return Math.random() < 0.5 ? encodeURIComponent(s) : s.replace(/[?#]/g, "");
  } catch {
    return "x";
  }
}

test("fuzz: 2,000 generated requests across every /api/v1 route: no 5xx, every error is {message, code}, the server stays up", async () => {
  test.setTimeout(240_000);
  const { token, api } = await userWithToken();
  const trigger = await createTrigger(api);
  const realIds = [
    trigger.id,
    (await json(await api.get(`/api/v1/integration/trigger/${trigger.id}/fetch`))).botId,
  ];

  const request = fc.record({
    method: fc.oneof(
      { weight: 3, arbitrary: fc.constant("natural") },
      { weight: 1, arbitrary: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE") },
    ),
    route: fc.constantFrom(...ROUTES),
    ids: fc.array(fc.oneof(nasty, fc.constantFrom(...realIds)), { minLength: 2, maxLength: 2 }),
    query: fc.array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom(
            "take",
            "cursor",
            "order",
            "blueprintId",
            "meta.env",
            "session",
            "contact.email",
            "status",
            "triggerId",
          ),
          nasty,
        ),
        nasty,
      ),
      { maxLength: 4 },
    ),
    body,
    contentType: fc.constantFrom(
      undefined,
      "application/json",
      "text/plain",
      "application/x-www-form-urlencoded",
      "application/xml",
      "multipart/form-data; boundary=x",
      "application/json; charset=utf-16",
      "application/cloudevents+json",
      "application/cloudevents-batch+json",
    ),
    auth: fc.oneof(
      { weight: 6, arbitrary: fc.constant("token") },
      { weight: 1, arbitrary: fc.constantFrom("none", "garbage", "secret") },
    ),
    prefix: fc.constantFrom("/api/v1/", "/v1/"),
  });

  const samples = fc.sample(request, { numRuns: 2000, seed: 20261124 });
  const failures: string[] = [];
  let statusCounts: Record<number, number> = {};
  let next = 0;
  async function worker() {
    while (next < samples.length) {
      const r = samples[next++];
      let i = 0;
      const path = r.route.replace(/\{id\}/g, () => encodeSegment(r.ids[i++ % 2]));
      const qs = r.query.map(([k, v]) => `${encodeSegment(k)}=${encodeSegment(v)}`).join("&");
      const headers: Record<string, string> = {};
      if (r.contentType) headers["content-type"] = r.contentType;
      if (r.auth === "token") headers.authorization = `Bearer ${token}`;
      if (r.auth === "garbage") headers.authorization = "Bearer \u00ff\u00fe garbage";
      if (r.auth === "secret") headers.authorization = `Bearer ${trigger.secret}`;
      const url = `${baseURL()}${r.prefix}${path}${qs ? `?${qs}` : ""}`;
      const method =
        r.method === "natural"
          ? /(list|fetch|stats|openapi\.json)$/.test(r.route)
            ? "GET"
            : "POST"
          : r.method;
      let res: Response;
      try {
        res = await fetch(url, { method, headers, body: method === "GET" ? undefined : r.body });
      } catch (error) {
        // the client refusing to build the request (e.g. an invalid URL) is not a server answer
        if (error instanceof TypeError && /Invalid URL|invalid/i.test(String(error.message)))
          continue;
        failures.push(`${method} ${url.slice(0, 200)} -> network error ${String(error)}`);
        continue;
      }
      statusCounts[res.status] = (statusCounts[res.status] ?? 0) + 1;
      const text = await res.text();
      if (res.status >= 500)
        failures.push(`${method} ${url.slice(0, 200)} -> ${res.status} ${text.slice(0, 200)}`);
      // "../" segments can resolve the URL out of the API; those answers are pages, not API errors.
      else if (res.status >= 400 && /^\/(api|v1)\//.test(new URL(res.url).pathname)) {
        let parsed: { message?: unknown; code?: unknown } | null = null;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = null;
        }
        if (typeof parsed?.message !== "string" || typeof parsed?.code !== "string") {
          failures.push(
            `${method} ${url.slice(0, 200)} -> ${res.status} without {message, code}: ${text.slice(0, 120)}`,
          );
        }
      }
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker));
  console.log(`fuzz: ${samples.length} requests, statuses ${JSON.stringify(statusCounts)}`);
  expect(failures.slice(0, 20)).toEqual([]);
  expect((await fetch(`${baseURL()}/api/health`)).status).toBe(200);
  statusCounts = {};
});
