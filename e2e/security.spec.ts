import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  expect,
  request as playwrightRequest,
  test,
  type APIRequestContext,
} from "@playwright/test";
import { PASSWORD, uniqueEmail, userWithToken } from "./fixtures/accounts";
import { freePort, ownServer } from "./fixtures/own-server";
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

async function credentialsSignIn(ctx: APIRequestContext, email: string, password: string) {
  const { csrfToken } = await (await ctx.get("/api/auth/csrf")).json();
  const started = performance.now();
  const res = await ctx.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password },
    maxRedirects: 0,
  });
  return { res, ms: performance.now() - started };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test("sign-up and sign-in are throttled per address and per email; an unknown email costs as much as a wrong password", async () => {
  test.setTimeout(180_000);
  const server = await ownServer(await freePort(), {
    env: { AUTH_FAILURES_PER_IP_PER_HOUR: "30" },
  });
  try {
    await server.start();
    const ctx = await playwrightRequest.newContext({ baseURL: server.base });
    // 30 sign-ups an hour from one address: a team, or a script making a handful of accounts, is fine
    const emails: string[] = [];
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      const email = uniqueEmail(`t${i}`);
      const res = await ctx.post("/api/auth/signup", { data: { email, password: PASSWORD } });
      statuses.push(res.status());
      if (res.status() === 201) emails.push(email);
      else {
        expect(res.status()).toBe(429);
        expect(Number(res.headers()["retry-after"])).toBeGreaterThan(0);
        expect((await res.json()).code).toBe("RATE_LIMITED");
      }
    }
    expect(statuses.slice(0, 30).every((s) => s === 201)).toBe(true);
    expect(statuses[30]).toBe(429);

    // an unknown email answers no faster than a wrong password (argon2 runs either way): 10 failures
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < 5; i++) {
      const w = await credentialsSignIn(ctx, emails[0], "wrong-password-1");
      expect(w.res.headers().location).toContain("error=CredentialsSignin");
      wrong.push(w.ms);
      unknown.push((await credentialsSignIn(ctx, uniqueEmail(`none${i}`), "wrong-password-1")).ms);
    }
    expect(median(unknown)).toBeGreaterThan(median(wrong) * 0.5);

    // per email: 10 failures an hour, then even the right password waits (429 + Retry-After)
    for (let i = 0; i < 10; i++)
      expect((await credentialsSignIn(ctx, emails[1], "wrong-password-2")).res.status()).toBe(302);
    const blocked = (await credentialsSignIn(ctx, emails[1], PASSWORD)).res;
    expect(blocked.status()).toBe(429);
    expect(Number(blocked.headers()["retry-after"])).toBeGreaterThan(0);
    // another account from the same address still signs in: that limit was the email's
    const other = (await credentialsSignIn(ctx, emails[2], PASSWORD)).res;
    expect(other.status()).toBe(302);
    expect(other.headers().location).not.toContain("error");

    // per address: 30 failures an hour across any emails (20 so far)
    for (let i = 0; i < 10; i++)
      expect(
        (await credentialsSignIn(ctx, uniqueEmail(`guess${i}`), "x-password")).res.status(),
      ).toBe(302);
    expect((await credentialsSignIn(ctx, emails[3], PASSWORD)).res.status()).toBe(429);
    await ctx.dispose();
  } finally {
    await server.stop();
  }
});

async function signedInAs(email: string, password = PASSWORD) {
  const ctx = await playwrightRequest.newContext({
    baseURL: `http://127.0.0.1:${process.env.E2E_PORT}`,
  });
  const { res } = await credentialsSignIn(ctx, email, password);
  expect(res.headers().location).not.toContain("error");
  return ctx;
}

test("sign out everywhere and a password change end the other sessions, checked by the server", async ({
  page,
}) => {
  const email = uniqueEmail("sessions");
  await page.goto("/signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/triggers$/);

  // another device: a session of its own, which works
  const laptop = await signedInAs(email);
  expect((await laptop.get("/api/v1/bot/list")).status()).toBe(200);
  await page.getByRole("button", { name: "User menu" }).first().click();
  await page.getByRole("menuitem", { name: "Account" }).click();
  await expect(page.getByRole("heading", { name: "Account", level: 1 })).toBeVisible();
  const newPassword = "a-brand-new-passphrase";
  await page.getByLabel("Current password").fill("not my password");
  await page.getByLabel("New password").fill(newPassword);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("That is not your current password.")).toBeVisible();
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByLabel("New password").fill(newPassword);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(
    page.getByText("Password changed. Every other session was signed out."),
  ).toBeVisible();
  // the other device is out; this browser stays in
  expect((await laptop.get("/api/v1/bot/list")).status()).toBe(401);
  await page.goto("/bots");
  await expect(page.getByRole("heading", { name: "Bots", level: 1 })).toBeVisible();

  const phone = await signedInAs(email, newPassword);
  expect((await phone.get("/api/v1/bot/list")).status()).toBe(200);
  await page.goto("/account");
  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page).toHaveURL(/\/signin/);
  expect((await phone.get("/api/v1/bot/list")).status()).toBe(401);
  await page.goto("/bots");
  await expect(page).toHaveURL(/\/signin/);
  await laptop.dispose();
  await phone.dispose();
});

/** Starts `next start` with `env` and collects what it prints until it exits (or 60 s pass). */
async function startAndExit(env: Record<string, string>) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "trigdash-refuse-"));
  const child = spawn(
    path.join("node_modules", ".bin", "next"),
    ["start", "-p", String(await freePort()), "-H", "127.0.0.1"],
    {
      env: {
        ...process.env,
        DATABASE_URL: "",
        DATA_DIR: dataDir,
        INNGEST_EVENT_KEY: "",
        INNGEST_DEV: "",
        INNGEST_BASE_URL: "",
        INNGEST_SIGNING_KEY: "",
        TEST_HOOKS: "",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve(null);
    }, 60_000);
    child.on("exit", (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  rmSync(dataDir, { recursive: true, force: true });
  return { code, output };
}

test("a production server refuses to start with test hooks or unsigned Inngest, saying what to change", async () => {
  test.setTimeout(180_000);
  const production = {
    NODE_ENV: "production",
    APP_SECRET: "prod-secret-prod-secret-prod-secret-0123",
  };
  const cases = [
    [{ TEST_HOOKS: "1" }, "TEST_HOOKS is set while NODE_ENV=production"],
    [{ INNGEST_EVENT_KEY: "key" }, "needs INNGEST_SIGNING_KEY"],
    [
      { INNGEST_DEV: "1", INNGEST_SIGNING_KEY: "signkey-prod" },
      "INNGEST_DEV is set while NODE_ENV=production",
    ],
  ] as const;
  for (const [env, sentence] of cases) {
    const { code, output } = await startAndExit({ ...production, ...env });
    expect(code, output).not.toBe(0);
    expect(code, output).not.toBeNull();
    expect(output).toContain(sentence);
    expect(output).not.toMatch(/\n\s+at /); // one sentence, not a stack trace
  }
});

test("key rotation end to end: the old key in APP_SECRET_PREVIOUS keeps triggers working; after secrets:rotate it can go", async () => {
  test.setTimeout(240_000);
  const OLD = "rotation-old-key-rotation-old-key-0123";
  const NEW = "rotation-new-key-rotation-new-key-0123";
  const server = await ownServer(await freePort(), { env: { APP_SECRET: OLD } });
  const event = (id: string, secret: string) =>
    fetch(`${server.base}/v1/integration/trigger/${id}/event`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: '{"text":"hi"}',
    });
  try {
    await server.start();
    const { api, token } = await userWithToken(server.base);
    const t = await createTrigger(api, { authenticate: true });
    expect((await event(t.id, t.secret)).status).toBe(202);
    await server.terminate();

    // a new key without the old one: the trigger's secret cannot be read, and the answer says why
    await server.start({ APP_SECRET: NEW });
    const refused = await event(t.id, t.secret);
    expect(refused.status).toBe(500);
    const body = await refused.json();
    expect(body.code).toBe("SERVER_MISCONFIGURED");
    expect(body.message).toContain("APP_SECRET_PREVIOUS");
    await server.terminate();

    await server.start({ APP_SECRET: NEW, APP_SECRET_PREVIOUS: OLD });
    expect((await event(t.id, t.secret)).status).toBe(202);
    await server.terminate();

    // npm run secrets:rotate, with the servers' settings
    const rotate = spawn(path.join("node_modules", ".bin", "tsx"), ["db/secrets-rotate-cli.ts"], {
      env: {
        ...process.env,
        APP_SECRET: NEW,
        APP_SECRET_PREVIOUS: OLD,
        DATA_DIR: server.dataDir,
        DATABASE_URL: server.databaseUrl,
        NODE_ENV: "production",
      },
    });
    let out = "";
    rotate.stdout.on("data", (d) => (out += d));
    rotate.stderr.on("data", (d) => (out += d));
    expect(await new Promise((r) => rotate.on("exit", r)), out).toBe(0);
    expect(out).toMatch(/triggers\.secret_enc: [1-9]\d* re-encrypted/);

    await server.start({ APP_SECRET: NEW });
    expect((await event(t.id, t.secret)).status).toBe(202);
    const res = await fetch(`${server.base}/api/v1/integration/trigger/${t.id}/fetch`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect((await res.json()).secret).toBe(t.secret);
  } finally {
    await server.stop();
  }
});
