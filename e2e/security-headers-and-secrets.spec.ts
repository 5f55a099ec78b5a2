import { expect, test } from "@playwright/test";
import { PASSWORD, uniqueEmail, userWithToken } from "./fixtures/accounts";
import { scriptedBot, sendEvent, startReceiver, waitForEvents } from "./fixtures/pipeline";
import { createBot, createTrigger, expectError, json } from "./fixtures/resources";

test.describe("security headers", () => {
  test("pages carry a nonce CSP that forbids framing, and the other headers; API answers are never cached", async ({
    request,
  }) => {
    const page = await request.get("/signin");
    const h = page.headers();
    const csp = h["content-security-policy"];
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).toContain("object-src 'none'");
    expect(h["x-frame-options"]).toBe("DENY");
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(h["permissions-policy"]).toContain("camera=()");
    // the nonce is fresh per request and is the one on the page's scripts
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    expect(await page.text()).toContain(`nonce="${nonce}"`);
    const again = (await request.get("/signin")).headers()["content-security-policy"];
    expect(again).not.toContain(nonce);

    for (const res of [
      await request.get("/api/v1/bot/list"),
      await request.post("/v1/integration/trigger/trigger_00000000000000000000000000/event", {
        data: {},
      }),
      await request.get("/api/health"),
    ]) {
      expect(res.headers()["cache-control"]).toBe("no-store");
      expect(res.headers()["x-content-type-options"]).toBe("nosniff");
    }
  });

  test("the dashboard renders under its CSP without violations", async ({ page }) => {
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.goto("/signup");
    await page.getByLabel("Email").fill(uniqueEmail("csp"));
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/triggers$/);
    await page.getByRole("button", { name: "Toggle dark mode" }).first().click();
    await page.goto("/bots");
    await expect(page.getByRole("heading", { name: "Bots", level: 1 })).toBeVisible();
    expect(violations).toEqual([]);
  });
});

test.describe("operator limits and stored credentials", () => {
  test("a bot's model must be one the server offers; a trigger's rate limit stays under the operator's ceiling", async () => {
    const { api } = await userWithToken();
    const body = await expectError(
      await api.post("/api/v1/bot/create", { data: { name: "b", model: "openai/gpt-5-ultra" } }),
      422,
      "VALIDATION_ERROR",
    );
    expect(body.issues?.[0]).toMatchObject({ path: "model" });
    expect(body.issues?.[0].message).toContain("echo");
    expect(body.issues?.[0].message).toContain("openai/gpt-4o-mini");
    const models = await json(await api.get("/api/v1/model/list"));
    expect(models.items.map((m: { id: string }) => m.id)).toContain("openai/stub");
    const botId = await createBot(api, { model: "openai/stub" });
    await expectError(
      await api.post(`/api/v1/bot/${botId}/update`, { data: { model: "anthropic/claude-opus-9" } }),
      422,
      "VALIDATION_ERROR",
    );
    const limited = await expectError(
      await api.post("/api/v1/integration/trigger/create", {
        data: { botId, rateLimitPerSecond: 1_000_000, rateLimitBurst: 50_000_000 },
      }),
      422,
      "VALIDATION_ERROR",
    );
    expect(limited.issues?.map((i) => i.path).sort()).toEqual([
      "rateLimitBurst",
      "rateLimitPerSecond",
    ]);
  });

  test("ability credentials are write-only: masked in fetch, list and JSONL, kept on update, used on calls; the URL keeps its origin", async ({
    request,
  }) => {
    const receiver = await startReceiver();
    try {
      const { api } = await userWithToken();
      const apiKey = "sk-test-credential-ABCD1234";
      const { id: skillsetId } = await json(
        await api.post("/api/v1/skillset/create", { data: { name: "shop" } }),
      );
      const { id: abilityId } = await json(
        await api.post(`/api/v1/skillset/${skillsetId}/ability/create`, {
          data: {
            name: "get_order",
            kind: "http_request",
            config: {
              method: "GET",
              url: `${receiver.url}/orders/{{input.id}}?q={{input.q}}`,
              headers: { "X-Api-Key": apiKey, Accept: "application/json" },
            },
          },
        }),
      );
      const { id: hookId } = await json(
        await api.post(`/api/v1/skillset/${skillsetId}/ability/create`, {
          data: {
            name: "notify",
            kind: "webhook",
            config: { url: `${receiver.url}/hook`, secret: "hmac-secret-value-XYZ" },
          },
        }),
      );
      const answers = [
        await (await api.get(`/api/v1/skillset/${skillsetId}/ability/${abilityId}/fetch`)).text(),
        await (await api.get(`/api/v1/skillset/${skillsetId}/ability/list`)).text(),
        await (
          await api.get(`/api/v1/skillset/${skillsetId}/ability/list`, {
            headers: { accept: "application/jsonl" },
          })
        ).text(),
      ];
      for (const text of answers) {
        expect(text).not.toContain(apiKey);
        expect(text).not.toContain("hmac-secret-value-XYZ");
      }
      const fetched = JSON.parse(answers[0]);
      expect(fetched.config.headers).toEqual({ "X-Api-Key": "••••1234", Accept: "••••json" });
      const hook = await json(
        await api.get(`/api/v1/skillset/${skillsetId}/ability/${hookId}/fetch`),
      );
      expect(hook.config).toMatchObject({ secretSet: true });
      expect(hook.config.secret).toBeUndefined();
      // the dashboard sends the masks back with an edit: the stored values stay
      await json(
        await api.post(`/api/v1/skillset/${skillsetId}/ability/${abilityId}/update`, {
          data: { config: { ...fetched.config, timeoutMs: 5000 } },
        }),
      );
      // a placeholder in the host is refused when saved
      await expectError(
        await api.post(`/api/v1/skillset/${skillsetId}/ability/create`, {
          data: { name: "evil", kind: "http_request", config: { url: "https://{{input.host}}/x" } },
        }),
        422,
        "VALIDATION_ERROR",
      );

      const { botId } = await scriptedBot(
        api,
        "creds",
        [{ tool: "get_order", args: { id: "../../admin", q: "a&b" } }, { text: "done" }],
        { skillsetId },
      );
      const trigger = await createTrigger(api, { botId, authenticate: false });
      expect((await sendEvent(request, trigger.id, { data: { text: "go" } })).status()).toBe(202);
      await waitForEvents(api, trigger.id, 1);
      const call = receiver.requests.find((r) => r.url.startsWith("/orders/"))!;
      expect(call.url).toBe("/orders/%2E%2E%2F%2E%2E%2Fadmin?q=a%26b");
      expect(call.headers["x-api-key"]).toBe(apiKey);
      const [event] = (
        await json(await api.get(`/api/v1/integration/trigger/${trigger.id}/event/list`))
      ).items;
      expect(call.headers["idempotency-key"]).toBe(`${event.id}-0`);
    } finally {
      await receiver.close();
    }
  });
});

test.describe("trigger secrets", () => {
  test("revokePrevious ends the old secret at once; two rotations at the same moment leave both secrets working", async ({
    request,
  }) => {
    const { api } = await userWithToken();
    const t = await createTrigger(api, { authenticate: true });
    const send = (secret: string) =>
      sendEvent(request, t.id, { secret, data: { text: "x" } }).then((r) => r.status());
    const base = `/api/v1/integration/trigger/${t.id}/secret`;
    const [a, b] = await Promise.all([
      json(await api.post(`${base}/rotate`, { data: {} })),
      json(await api.post(`${base}/rotate`, { data: {} })),
    ]);
    expect(await send(a.secret)).toBe(202);
    expect(await send(b.secret)).toBe(202);
    const fetched = await json(await api.get(`/api/v1/integration/trigger/${t.id}/fetch`));
    expect(fetched.previousSecretExpiresAt).not.toBeNull();

    const c = await json(await api.post(`${base}/rotate`, { data: { revokePrevious: true } }));
    expect(await send(c.secret)).toBe(202);
    expect(await send(a.secret)).toBe(401);
    expect(await send(b.secret)).toBe(401);
    expect(
      (await json(await api.get(`/api/v1/integration/trigger/${t.id}/fetch`)))
        .previousSecretExpiresAt,
    ).toBeNull();

    const d = await json(await api.post(`${base}/rotate`, { data: {} }));
    expect(await send(c.secret)).toBe(202);
    await json(await api.post(`${base}/revoke-previous`, { data: {} }));
    expect(await send(c.secret)).toBe(401);
    expect(await send(d.secret)).toBe(202);
  });

  test("form fields named __proto__ and constructor are kept as sent", async ({ request }) => {
    const { api } = await userWithToken();
    const t = await createTrigger(api, { authenticate: false });
    const res = await request.post(`/v1/integration/trigger/${t.id}/event`, {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      data: "__proto__=polluted&constructor=c&prototype=p&a=1",
    });
    expect(res.status()).toBe(202);
    const [event] = (await json(await api.get(`/api/v1/integration/trigger/${t.id}/event/list`)))
      .items;
    // (an object literal cannot hold an own __proto__ key; JSON.parse can)
    expect(event.payload).toEqual(
      JSON.parse('{"__proto__":"polluted","constructor":"c","prototype":"p","a":"1"}'),
    );
    expect(Object.keys(event.payload).sort()).toEqual([
      "__proto__",
      "a",
      "constructor",
      "prototype",
    ]);
  });
});
