import { expect, test } from "@playwright/test";
import { userWithToken } from "./fixtures/accounts";
import { createBot, createTrigger, expectError, json } from "./fixtures/resources";

test.describe("bots, skillsets, abilities, blueprints", () => {
  test("an update that changes nothing answers 200 and leaves the record as it was", async () => {
    const { api } = await userWithToken();
    const botId = await createBot(api, { name: "Same" });
    const { id: skillsetId } = await json(
      await api.post("/api/v1/skillset/create", { data: { name: "Same" } }),
    );
    const { id: blueprintId } = await json(
      await api.post("/api/v1/blueprint/create", { data: { name: "Same" } }),
    );
    const { id: endpointId } = await json(
      await api.post("/api/v1/notification/endpoint/create", {
        data: { url: "https://example.com/hook", events: ["event.failed"] },
      }),
    );
    for (const path of [
      `/api/v1/bot/${botId}`,
      `/api/v1/skillset/${skillsetId}`,
      `/api/v1/blueprint/${blueprintId}`,
      `/api/v1/notification/endpoint/${endpointId}`,
    ]) {
      const before = await json(await api.get(`${path}/fetch`));
      // an empty body, and one whose only field is unknown (dropped by the schema)
      for (const data of [{}, { unknownField: 1 }])
        expect(await json(await api.post(`${path}/update`, { data }))).toMatchObject({
          id: before.id,
        });
      expect(await json(await api.get(`${path}/fetch`))).toEqual(before);
    }
  });

  test("bot CRUD and validation", async () => {
    const { api } = await userWithToken();
    const { id: skillsetId } = await json(
      await api.post("/api/v1/skillset/create", { data: { name: "Tools" } }),
    );
    const { id } = await json(
      await api.post("/api/v1/bot/create", {
        data: {
          name: "Support",
          model: "openai/gpt-4o-mini",
          backstory: "You help.",
          skillsetId,
          meta: { a: 1 },
        },
      }),
    );
    expect(id).toMatch(/^bot_/);
    expect(await json(await api.get(`/api/v1/bot/${id}/fetch`))).toMatchObject({
      id,
      name: "Support",
      description: null,
      model: "openai/gpt-4o-mini",
      backstory: "You help.",
      skillsetId,
      blueprintId: null,
      meta: { a: 1 },
    });
    await json(
      await api.post(`/api/v1/bot/${id}/update`, { data: { model: "echo", description: "d" } }),
    );
    expect(await json(await api.get(`/api/v1/bot/${id}/fetch`))).toMatchObject({
      model: "echo",
      description: "d",
      name: "Support",
    });
    expect(
      (await json(await api.get("/api/v1/bot/list"))).items.map((b: { id: string }) => b.id),
    ).toEqual([id]);

    for (const [data, field] of [
      [{}, "name"],
      [{ name: "" }, "name"],
      [{ name: "x", model: "has spaces in it" }, "model"],
      [{ name: "x", backstory: "x".repeat(20_001) }, "backstory"],
      [{ name: "x", skillsetId: "skillset_nope" }, "skillsetId"],
      [{ name: "x", meta: 5 }, "meta"],
    ] as const) {
      const body = await expectError(
        await api.post("/api/v1/bot/create", { data }),
        422,
        "VALIDATION_ERROR",
      );
      expect(body.issues?.map((i) => i.path)).toContain(field);
    }
    await json(await api.post(`/api/v1/bot/${id}/delete`));
    await expectError(await api.get(`/api/v1/bot/${id}/fetch`), 404, "NOT_FOUND");
  });

  test("skillset with abilities", async () => {
    const { api } = await userWithToken();
    const { id: sid } = await json(
      await api.post("/api/v1/skillset/create", {
        data: { name: "Ops tools", description: "HTTP" },
      }),
    );
    const { id: aid } = await json(
      await api.post(`/api/v1/skillset/${sid}/ability/create`, {
        data: {
          name: "lookup_order",
          description: "Look up an order",
          kind: "http_request",
          config: { method: "GET", url: "https://example.com/orders/{{input.orderId}}" },
        },
      }),
    );
    expect(aid).toMatch(/^ability_/);
    expect(await json(await api.get(`/api/v1/skillset/${sid}/ability/${aid}/fetch`))).toMatchObject(
      {
        id: aid,
        skillsetId: sid,
        kind: "http_request",
        config: {
          method: "GET",
          url: "https://example.com/orders/{{input.orderId}}",
          timeoutMs: 10000,
        },
      },
    );
    const { id: wid } = await json(
      await api.post(`/api/v1/skillset/${sid}/ability/create`, {
        data: {
          name: "notify",
          kind: "webhook",
          config: { url: "https://example.com/hook", secret: "s" },
        },
      }),
    );
    const list = await json(await api.get(`/api/v1/skillset/${sid}/ability/list?order=asc`));
    expect(list.items.map((a: { id: string }) => a.id)).toEqual([aid, wid]);

    await json(
      await api.post(`/api/v1/skillset/${sid}/ability/${aid}/update`, {
        data: { config: { method: "POST", url: "https://example.com/x", body: "{}" } },
      }),
    );
    expect(
      (await json(await api.get(`/api/v1/skillset/${sid}/ability/${aid}/fetch`))).config,
    ).toMatchObject({ method: "POST" });

    for (const [data, field] of [
      [{ name: "bad name!", kind: "webhook", config: { url: "https://e.com" } }, "name"],
      [{ name: "x", kind: "ftp", config: {} }, "kind"],
      [{ name: "x", kind: "webhook", config: { url: "file:///etc/passwd" } }, "config.url"],
      [
        { name: "x", kind: "http_request", config: { url: "https://e.com", method: "TRACE" } },
        "config.method",
      ],
      [
        { name: "x", kind: "http_request", config: { url: "https://e.com", timeoutMs: 999999 } },
        "config.timeoutMs",
      ],
    ] as const) {
      const body = await expectError(
        await api.post(`/api/v1/skillset/${sid}/ability/create`, { data }),
        422,
        "VALIDATION_ERROR",
      );
      expect(body.issues?.map((i) => i.path)).toContain(field);
    }
    await expectError(
      await api.post(`/api/v1/skillset/${sid}/ability/${aid}/update`, {
        data: { config: { url: "nope" } },
      }),
      422,
      "VALIDATION_ERROR",
    );
    await json(await api.post(`/api/v1/skillset/${sid}/ability/${wid}/delete`));
    await expectError(
      await api.get(`/api/v1/skillset/${sid}/ability/${wid}/fetch`),
      404,
      "NOT_FOUND",
    );
    await json(await api.post(`/api/v1/skillset/${sid}/update`, { data: { name: "Renamed" } }));
    expect((await json(await api.get(`/api/v1/skillset/${sid}/fetch`))).name).toBe("Renamed");
    await json(await api.post(`/api/v1/skillset/${sid}/delete`));
    await expectError(
      await api.get(`/api/v1/skillset/${sid}/ability/${aid}/fetch`),
      404,
      "NOT_FOUND",
    );
  });

  test("blueprints group resources and leave them when deleted", async () => {
    const { api } = await userWithToken();
    const { id: bp } = await json(
      await api.post("/api/v1/blueprint/create", {
        data: { name: "Shop", description: "All shop things" },
      }),
    );
    const botId = await createBot(api, { blueprintId: bp });
    expect((await json(await api.get(`/api/v1/bot/list?blueprintId=${bp}`))).items).toHaveLength(1);
    await json(await api.post(`/api/v1/blueprint/${bp}/update`, { data: { name: "Store" } }));
    expect(await json(await api.get(`/api/v1/blueprint/${bp}/fetch`))).toMatchObject({
      name: "Store",
      description: "All shop things",
    });
    await json(await api.post(`/api/v1/blueprint/${bp}/delete`));
    expect((await json(await api.get(`/api/v1/bot/${botId}/fetch`))).blueprintId).toBeNull();
    expect((await json(await api.get("/api/v1/blueprint/list"))).items).toEqual([]);
  });

  test("conversations and contacts: empty lists, 404s", async () => {
    const { api } = await userWithToken();
    expect(await json(await api.get("/api/v1/conversation/list"))).toEqual({ items: [] });
    expect(await json(await api.get("/api/v1/contact/list"))).toEqual({ items: [] });
    await expectError(
      await api.get("/api/v1/conversation/conversation_01ARZ3NDEKTSV4RRFFQ69G5FAV/fetch"),
      404,
      "NOT_FOUND",
    );
    await expectError(
      await api.get("/api/v1/conversation/conversation_01ARZ3NDEKTSV4RRFFQ69G5FAV/message/list"),
      404,
      "NOT_FOUND",
    );
    await expectError(
      await api.get("/api/v1/contact/contact_01ARZ3NDEKTSV4RRFFQ69G5FAV/fetch"),
      404,
      "NOT_FOUND",
    );
  });

  test("OpenAPI document is served", async () => {
    const { api } = await userWithToken();
    const doc = await json(await api.get("/api/v1/openapi.json"));
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toContain("/integration/trigger/create");
  });
});

test("isolation: user B gets 404 for every one of user A's resources on every verb, and never sees them in lists", async () => {
  const a = await userWithToken();
  const b = await userWithToken();
  const { id: bp } = await json(
    await a.api.post("/api/v1/blueprint/create", { data: { name: "A's" } }),
  );
  const { id: sid } = await json(
    await a.api.post("/api/v1/skillset/create", { data: { name: "A's" } }),
  );
  const { id: aid } = await json(
    await a.api.post(`/api/v1/skillset/${sid}/ability/create`, {
      data: { name: "x", kind: "webhook", config: { url: "https://e.com" } },
    }),
  );
  const botId = await createBot(a.api, { skillsetId: sid });
  const trigger = await createTrigger(a.api, { botId });
  const { id: tokenId } = (await json(await a.api.get("/api/v1/token/list"))).items[0];

  const T = `/api/v1/integration/trigger/${trigger.id}`;
  const requests: [string, string, unknown?][] = [
    ["GET", `${T}/fetch`],
    ["POST", `${T}/update`, { name: "stolen" }],
    ["POST", `${T}/setup`],
    ["POST", `${T}/invoke`, {}],
    ["POST", `${T}/secret/rotate`],
    ["POST", `${T}/delete`],
    ["GET", `/api/v1/bot/${botId}/fetch`],
    ["POST", `/api/v1/bot/${botId}/update`, { name: "stolen" }],
    ["POST", `/api/v1/bot/${botId}/delete`],
    ["GET", `/api/v1/skillset/${sid}/fetch`],
    ["POST", `/api/v1/skillset/${sid}/update`, { name: "stolen" }],
    ["POST", `/api/v1/skillset/${sid}/delete`],
    ["GET", `/api/v1/skillset/${sid}/ability/list`],
    [
      "POST",
      `/api/v1/skillset/${sid}/ability/create`,
      { name: "y", kind: "webhook", config: { url: "https://e.com" } },
    ],
    ["GET", `/api/v1/skillset/${sid}/ability/${aid}/fetch`],
    ["POST", `/api/v1/skillset/${sid}/ability/${aid}/update`, { name: "stolen" }],
    ["POST", `/api/v1/skillset/${sid}/ability/${aid}/delete`],
    ["GET", `/api/v1/blueprint/${bp}/fetch`],
    ["POST", `/api/v1/blueprint/${bp}/update`, { name: "stolen" }],
    ["POST", `/api/v1/blueprint/${bp}/delete`],
    ["POST", `/api/v1/token/${tokenId}/delete`],
  ];
  for (const [method, path, data] of requests) {
    const res = await b.api.fetch(path, {
      method,
      data: data ?? (method === "POST" ? {} : undefined),
    });
    expect(res.status(), `${method} ${path}`).toBe(404);
    expect(await res.json()).toMatchObject({ code: "NOT_FOUND" });
  }
  // B cannot point its own resources at A's either
  await expectError(
    await b.api.post("/api/v1/integration/trigger/create", { data: { botId } }),
    422,
    "VALIDATION_ERROR",
  );
  await expectError(
    await b.api.post("/api/v1/bot/create", { data: { name: "x", skillsetId: sid } }),
    422,
    "VALIDATION_ERROR",
  );

  for (const path of [
    "/api/v1/integration/trigger/list",
    "/api/v1/bot/list",
    "/api/v1/skillset/list",
    "/api/v1/blueprint/list",
    "/api/v1/conversation/list",
    "/api/v1/contact/list",
  ]) {
    expect((await json(await b.api.get(path))).items, path).toEqual([]);
  }
  // A's resources are untouched
  expect(await json(await a.api.get(`${T}/fetch`))).toMatchObject({
    name: "Test trigger",
    secret: trigger.secret,
  });
  expect((await json(await a.api.get("/api/v1/token/list"))).items).toHaveLength(1);
});
