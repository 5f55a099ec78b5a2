import { expect, test } from "@playwright/test";
import { userWithToken } from "./fixtures/accounts";
import { createBot, createTrigger, expectError, json } from "./fixtures/resources";

const T = "/api/v1/integration/trigger";

test.describe("trigger integration API", () => {
  test("create, fetch, update, setup, rotate, delete", async () => {
    const { api } = await userWithToken();
    const botId = await createBot(api);
    const created = await json(
      await api.post(`${T}/create`, {
        data: {
          name: "Order Processing Trigger",
          description: "Handles order processing events",
          botId,
          authenticate: true,
          sessionDuration: 3600000,
        },
      }),
    );
    expect(created.id).toMatch(/^trigger_[0-9A-Z]{26}$/);
    expect(created.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(created.eventUrl).toBe(
      `http://127.0.0.1:${process.env.E2E_PORT}/v1/integration/trigger/${created.id}/event`,
    );

    const record = await json(await api.get(`${T}/${created.id}/fetch`));
    expect(record).toEqual({
      id: created.id,
      alias: null,
      name: "Order Processing Trigger",
      description: "Handles order processing events",
      botId,
      secret: created.secret,
      authenticate: true,
      verification: {
        type: "bearer",
        header: null,
        algorithm: null,
        encoding: null,
        prefix: null,
        secretSet: false,
      },
      filter: null,
      triggerSchedule: null,
      schedule: null,
      scheduleDescription: null,
      timezone: "UTC",
      sessionDuration: 3600000,
      blueprintId: null,
      meta: {},
      prompt: null,
      maxIterations: 6,
      maxTime: 60000,
      abilities: "all",
      approval: "none",
      approvalTimeout: 86400000,
      batch: null,
      onBusy: "queue",
      reply: null,
      pausedAt: null,
      pausedReason: null,
      autoPause: null,
      lastTriggerAt: null,
      nextTriggerAt: null,
      rateLimitPerSecond: null,
      rateLimitBurst: null,
      rejectedCount: 0,
      monthlyTokenBudget: null,
      tokensUsedThisMonth: 0,
      previousSecretExpiresAt: null,
      eventUrl: created.eventUrl,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      updatedAt: expect.any(String),
    });

    expect(
      await json(
        await api.post(`${T}/${created.id}/update`, {
          data: { schedule: "0 9 * * 1-5", timezone: "Europe/Berlin", meta: { team: "ops" } },
        }),
      ),
    ).toEqual({
      id: created.id,
    });
    const updated = await json(await api.get(`${T}/${created.id}/fetch`));
    expect(updated).toMatchObject({
      triggerSchedule: "0 9 * * 1-5",
      schedule: "0 9 * * 1-5",
      scheduleDescription: "At 09:00, Monday through Friday (Europe/Berlin)",
      timezone: "Europe/Berlin",
      meta: { team: "ops" },
      name: "Order Processing Trigger",
    });
    const next = new Date(updated.nextTriggerAt);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    const berlinHour = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Berlin",
      hour: "2-digit",
      hour12: false,
    }).format(next);
    expect(berlinHour).toBe("09");

    expect(await json(await api.post(`${T}/${created.id}/setup`))).toEqual({ id: created.id });
    const afterSetup = await json(await api.get(`${T}/${created.id}/fetch`));
    expect(afterSetup.nextTriggerAt).toBe(updated.nextTriggerAt);
    expect(await json(await api.post(`${T}/${created.id}/setup`, { data: {} }))).toEqual({
      id: created.id,
    });

    const invoked = await json(await api.post(`${T}/${created.id}/invoke`, { data: {} }));
    expect(invoked).toMatchObject({ id: created.id, eventId: expect.stringMatching(/^event_/) });

    const rotated = await json(await api.post(`${T}/${created.id}/secret/rotate`));
    expect(rotated.id).toBe(created.id);
    expect(rotated.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(rotated.secret).not.toBe(created.secret);
    expect((await json(await api.get(`${T}/${created.id}/fetch`))).secret).toBe(rotated.secret);

    expect(
      await json(await api.post(`${T}/${created.id}/update`, { data: { triggerSchedule: null } })),
    ).toEqual({ id: created.id });
    expect(await json(await api.get(`${T}/${created.id}/fetch`))).toMatchObject({
      triggerSchedule: null,
      nextTriggerAt: null,
    });

    expect(await json(await api.post(`${T}/${created.id}/delete`, { data: {} }))).toEqual({
      id: created.id,
    });
    await expectError(await api.get(`${T}/${created.id}/fetch`), 404, "NOT_FOUND");
    await expectError(await api.post(`${T}/${created.id}/delete`), 404, "NOT_FOUND");
  });

  test("validation: each invalid field class is a 422 naming the field", async () => {
    const { api } = await userWithToken();
    const botId = await createBot(api);
    const cases: [Record<string, unknown>, string][] = [
      [{}, "botId"],
      [{ botId: "bot_01ARZ3NDEKTSV4RRFFQ69G5FAV" }, "botId"],
      [{ botId: 42 }, "botId"],
      [{ botId, name: "x".repeat(256) }, "name"],
      [{ botId, description: "x".repeat(2001) }, "description"],
      [{ botId, authenticate: "yes" }, "authenticate"],
      [{ botId, sessionDuration: -1 }, "sessionDuration"],
      [{ botId, sessionDuration: 1.5 }, "sessionDuration"],
      [{ botId, sessionDuration: 91 * 24 * 3600 * 1000 }, "sessionDuration"],
      [{ botId, timezone: "Mars/Olympus" }, "timezone"],
      [{ botId, triggerSchedule: "* * *" }, "triggerSchedule"],
      [{ botId, triggerSchedule: "61 * * * *" }, "triggerSchedule"],
      [{ botId, schedule: "30s" }, "schedule"],
      [{ botId, schedule: "x".repeat(201) }, "schedule"],
      [{ botId, triggerSchedule: "PT15M", schedule: "1h" }, "schedule"],
      [{ botId, meta: "not an object" }, "meta"],
      [{ botId, meta: [1, 2] }, "meta"],
      [{ botId, meta: { big: "x".repeat(9000) } }, "meta"],
      [{ botId, blueprintId: "blueprint_nope" }, "blueprintId"],
    ];
    for (const [data, field] of cases) {
      const body = await expectError(
        await api.post(`${T}/create`, { data }),
        422,
        "VALIDATION_ERROR",
      );
      expect(
        body.issues?.map((i) => i.path),
        JSON.stringify(data).slice(0, 100),
      ).toContain(field);
    }
    const t = await createTrigger(api, { botId });
    const bad = await expectError(
      await api.post(`${T}/${t.id}/update`, { data: { schedule: "every tuesday" } }),
      422,
      "VALIDATION_ERROR",
    );
    expect(bad.message).toContain("schedule");
    await expectError(await api.get(`${T}/list?take=0`), 422, "VALIDATION_ERROR");
    await expectError(await api.get(`${T}/list?take=101`), 422, "VALIDATION_ERROR");
    await expectError(await api.get(`${T}/list?order=sideways`), 422, "VALIDATION_ERROR");
    await expectError(
      await api.get(`${T}/trigger_01ARZ3NDEKTSV4RRFFQ69G5FAV/fetch`),
      404,
      "NOT_FOUND",
    );
    await expectError(
      await api.post(`${T}/trigger_01ARZ3NDEKTSV4RRFFQ69G5FAV/update`, { data: {} }),
      404,
      "NOT_FOUND",
    );
  });

  test("schedules: interval, ISO duration, one-shot date, macros; nextTriggerAt in the trigger's timezone", async () => {
    const { api } = await userWithToken();
    const botId = await createBot(api);
    const before = Date.now();
    const interval = await createTrigger(api, { botId, schedule: "15m" });
    const i = await json(await api.get(`${T}/${interval.id}/fetch`));
    const delta = new Date(i.nextTriggerAt).getTime() - before;
    expect(delta).toBeGreaterThanOrEqual(15 * 60_000 - 1000);
    expect(delta).toBeLessThan(15 * 60_000 + 30_000);

    const iso = await createTrigger(api, { botId, triggerSchedule: "PT1H" });
    expect((await json(await api.get(`${T}/${iso.id}/fetch`))).triggerSchedule).toBe("PT1H");

    const once = await createTrigger(api, {
      botId,
      schedule: "2031-01-15T09:30:00",
      timezone: "Asia/Tokyo",
    });
    expect((await json(await api.get(`${T}/${once.id}/fetch`))).nextTriggerAt).toBe(
      "2031-01-15T00:30:00.000Z",
    );

    const past = await createTrigger(api, { botId, schedule: "2001-01-01T00:00:00Z" });
    expect((await json(await api.get(`${T}/${past.id}/fetch`))).nextTriggerAt).toBeNull();

    const hourly = await createTrigger(api, { botId, schedule: "@hourly" });
    const h = new Date((await json(await api.get(`${T}/${hourly.id}/fetch`))).nextTriggerAt);
    expect(h.getUTCMinutes()).toBe(0);
  });

  test("list filters by blueprint and meta; JSONL streams every item", async () => {
    const { api } = await userWithToken();
    const botId = await createBot(api);
    const { id: blueprintId } = await json(
      await api.post("/api/v1/blueprint/create", { data: { name: "Ops" } }),
    );
    const a = await createTrigger(api, { botId, blueprintId, meta: { env: "prod" } });
    const b = await createTrigger(api, { botId, meta: { env: "dev" } });
    const byBlueprint = await json(await api.get(`${T}/list?blueprintId=${blueprintId}`));
    expect(byBlueprint.items.map((t: { id: string }) => t.id)).toEqual([a.id]);
    const byMeta = await json(await api.get(`${T}/list?meta.env=dev`));
    expect(byMeta.items.map((t: { id: string }) => t.id)).toEqual([b.id]);
    const all = await json(await api.get(`${T}/list`));
    expect(all.items.map((t: { id: string }) => t.id)).toEqual([b.id, a.id]);
    expect(all.cursor).toBeUndefined();

    const stream = await api.get(`${T}/list`, { headers: { accept: "application/jsonl" } });
    expect(stream.headers()["content-type"]).toContain("application/jsonl");
    const lines = (await stream.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.type)).toEqual(["item", "item"]);
    expect(lines.map((l) => l.data.id)).toEqual([b.id, a.id]);

    // Deleting the blueprint leaves the trigger, unlinked
    await json(await api.post(`/api/v1/blueprint/${blueprintId}/delete`));
    expect((await json(await api.get(`${T}/${a.id}/fetch`))).blueprintId).toBeNull();
  });

  test("a bot in use by a trigger cannot be deleted (409 names the triggers)", async () => {
    const { api } = await userWithToken();
    const botId = await createBot(api);
    const t = await createTrigger(api, { botId, name: "Uses the bot" });
    const conflict = await expectError(
      await api.post(`/api/v1/bot/${botId}/delete`),
      409,
      "CONFLICT",
    );
    expect(conflict.message).toContain("Uses the bot");
    expect(conflict.message).toContain(t.id);
    await json(await api.post(`${T}/${t.id}/delete`));
    expect(await json(await api.post(`/api/v1/bot/${botId}/delete`))).toEqual({ id: botId });
  });
});
