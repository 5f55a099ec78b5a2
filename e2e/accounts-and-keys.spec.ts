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
import { createTrigger } from "./fixtures/resources";

async function credentialsSignIn(ctx: APIRequestContext, email: string, password: string) {
  const { csrfToken } = await (await ctx.get("/api/auth/csrf")).json();
  const started = performance.now();
  const res = await ctx.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password },
    maxRedirects: 0,
  });
  return { res, ms: performance.now() - started };
}

test("sign-up and sign-in are throttled per address and per email; an unknown email gets the same answer as a wrong password", async () => {
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

    // an unknown email gets the same answer as a wrong password (10 failures); that it costs the
    // same argon2 verification is checked in lib/auth/users.test.ts, away from HTTP's timing noise
    for (let i = 0; i < 5; i++) {
      const w = await credentialsSignIn(ctx, emails[0], "wrong-password-1");
      expect(w.res.headers().location).toContain("error=CredentialsSignin");
      const u = await credentialsSignIn(ctx, uniqueEmail(`none${i}`), "wrong-password-1");
      expect(u.res.status()).toBe(w.res.status());
      expect(u.res.headers().location).toBe(w.res.headers().location);
    }

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
