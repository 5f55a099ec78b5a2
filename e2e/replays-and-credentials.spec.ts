import { createHmac, randomUUID } from "node:crypto";
import { type APIRequestContext, expect, test } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import Stripe from "stripe";
import { PASSWORD, signedInContext, uniqueEmail, userWithToken } from "./fixtures/accounts";
import { freePort, ownServer } from "./fixtures/own-server";
import { deliver, listEvents } from "./fixtures/pipeline";
import { createTrigger, expectError, json } from "./fixtures/resources";
import { apiAs, signUpInBrowser } from "./fixtures/ui";

// Security, second pass: a captured delivery cannot be replayed, API tokens are not a way around
// sign-out, the test console is not a signing oracle, nobody can lock an owner out, smaller leaks.

const STRIPE_SECRET = "whsec_replay_stripe_signing_secret_01";
const SVIX_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const now = () => Math.floor(Date.now() / 1000);
const hmacHex = (secret: string, body: string) =>
  createHmac("sha256", secret).update(body).digest("hex");

/** A Stripe trigger and one delivery to it, signed as Stripe signs (captured, to be re-sent). */
async function stripeDelivery(api: APIRequestContext) {
  const trigger = await createTrigger(api, {
    verification: { type: "stripe", secret: STRIPE_SECRET },
  });
  const body = JSON.stringify({ id: `evt_${randomUUID()}`, type: "charge.refunded" });
  const signature = new Stripe("sk_test_unused").webhooks.generateTestHeaderString({
    payload: body,
    secret: STRIPE_SECRET,
  });
  return { trigger, body, signature };
}

test.describe("replays of signed deliveries", () => {
  test("a captured Stripe or Standard Webhooks delivery re-sent with a new Idempotency-Key is not stored twice", async ({
    request,
  }) => {
    const { api } = await userWithToken();
    const { trigger: stripe, body, signature } = await stripeDelivery(api);
    const first = await deliver(request, stripe.id, body, {
      "stripe-signature": signature,
      "idempotency-key": "first",
    });
    expect(first.status).toBe(202);
    const replay = await deliver(request, stripe.id, body, {
      "stripe-signature": signature,
      "idempotency-key": "a-new-key-from-the-attacker",
    });
    expect(replay).toEqual({
      status: 200,
      body: { id: first.body.id, status: expect.any(String), duplicate: true },
    });
    expect(await listEvents(api, stripe.id)).toHaveLength(1);

    const sw = await createTrigger(api, {
      verification: { type: "standard-webhooks", secret: SVIX_SECRET },
    });
    const msgId = `msg_${Date.now()}`;
    const swBody = JSON.stringify({ type: "invoice.paid" });
    const signed = {
      "webhook-id": msgId,
      "webhook-timestamp": String(now()),
      "webhook-signature": new Webhook(SVIX_SECRET).sign(msgId, new Date(), swBody),
    };
    expect((await deliver(request, sw.id, swBody, signed)).status).toBe(202);
    const again = await deliver(request, sw.id, swBody, {
      ...signed,
      "idempotency-key": "another-key",
    });
    expect(again).toMatchObject({ status: 200, body: { duplicate: true } });
    expect(await listEvents(api, sw.id)).toHaveLength(1);
  });

  test("a captured delivery re-sent under another Content-Type is the same delivery: Stripe as text/plain, a signed CloudEvent as plain JSON", async ({
    request,
  }) => {
    const { api } = await userWithToken();
    const { trigger: stripe, body, signature } = await stripeDelivery(api);
    const first = await deliver(request, stripe.id, body, { "stripe-signature": signature });
    expect(first.status).toBe(202);
    for (const contentType of ["text/plain", "application/octet-stream", "text/x-anything"]) {
      const replay = await deliver(request, stripe.id, body, {
        "stripe-signature": signature,
        "content-type": contentType,
      });
      expect(replay, contentType).toEqual({
        status: 200,
        body: { id: first.body.id, status: expect.any(String), duplicate: true },
      });
    }
    expect(await listEvents(api, stripe.id)).toHaveLength(1);

    // a structured CloudEvent (and a batch) signed with the trigger's HMAC, re-sent as JSON
    const custom = await createTrigger(api, {
      verification: { type: "hmac", header: "X-Acme-Proof", secret: "acme-secret-0002" },
    });
    const ce = { specversion: "1.0", id: `o-${Date.now()}`, source: "/orders", type: "created" };
    const sent = async (doc: unknown, contentType: string) => {
      const text = JSON.stringify(doc);
      const proof = { "x-acme-proof": hmacHex("acme-secret-0002", text) };
      return deliver(request, custom.id, text, { ...proof, "content-type": contentType });
    };
    const structured = await sent(ce, "application/cloudevents+json");
    expect(structured.status).toBe(202);
    expect(await sent(ce, "application/json")).toEqual({
      status: 200,
      body: { id: structured.body.id, status: expect.any(String), duplicate: true },
    });
    const batch = [
      { ...ce, id: `${ce.id}-b1` },
      { ...ce, id: `${ce.id}-b2` },
    ];
    const stored = await sent(batch, "application/cloudevents-batch+json");
    expect(stored.status).toBe(202);
    expect(stored.body.events).toHaveLength(2);
    expect(await sent(batch, "application/json")).toEqual({
      status: 200,
      body: { id: stored.body.events[0].id, status: expect.any(String), duplicate: true },
    });
    // and the other way round: first as JSON, then as a structured CloudEvent
    const later = { ...ce, id: `${ce.id}-later` };
    const asJson = await sent(later, "application/json");
    expect(asJson.status).toBe(202);
    expect(await sent(later, "application/cloudevents+json")).toMatchObject({
      status: 200,
      body: { id: asJson.body.id, duplicate: true },
    });
    expect(await listEvents(api, custom.id)).toHaveLength(4);
  });

  test("a GitHub delivery re-sent with a new X-GitHub-Delivery answers duplicate; the custom HMAC header is never stored", async ({
    request,
  }) => {
    const { api } = await userWithToken();
    const gh = await createTrigger(api, { verification: { type: "github" } });
    const body = JSON.stringify({ action: "opened", issue: { number: 12 } });
    const sig = { "x-hub-signature-256": `sha256=${hmacHex(gh.secret, body)}` };
    const first = await deliver(request, gh.id, body, { ...sig, "x-github-delivery": "d-1" });
    expect(first.status).toBe(202);
    const redelivered = await deliver(request, gh.id, body, {
      ...sig,
      "x-github-delivery": "d-2",
      "idempotency-key": "k-2",
    });
    expect(redelivered).toEqual({
      status: 200,
      body: { id: first.body.id, status: expect.any(String), duplicate: true },
    });
    expect(await listEvents(api, gh.id)).toHaveLength(1);

    const custom = await createTrigger(api, {
      verification: { type: "hmac", header: "X-Acme-Proof", secret: "acme-secret-0001" },
    });
    const proof = hmacHex("acme-secret-0001", body);
    const stored = await deliver(request, custom.id, body, {
      "x-acme-proof": proof,
      "x-acme-topic": "issues",
    });
    expect(stored.status).toBe(202);
    const event = await json(
      await api.get(`/api/v1/integration/trigger/${custom.id}/event/${stored.body.id}/fetch`),
    );
    expect(event.headers["x-acme-topic"]).toBe("issues");
    expect(event.headers).not.toHaveProperty("x-acme-proof");
    expect(JSON.stringify(event)).not.toContain(proof);
  });
});

test("the test console returns no signature: it says whether verification passed and shows a curl with a placeholder", async () => {
  const { api } = await userWithToken();
  const presets = [
    { type: "github" },
    { type: "stripe", secret: STRIPE_SECRET },
    { type: "standard-webhooks", secret: SVIX_SECRET },
    { type: "hmac", header: "X-Acme-Proof", secret: "acme-secret-0002" },
    { type: "bearer" },
  ];
  for (const verification of presets) {
    const t = await createTrigger(api, { verification });
    const secret = String(verification.secret ?? t.secret);
    const body = JSON.stringify({ id: `evt_console_${verification.type}_${Date.now()}` });
    const res = await api.post(`/api/v1/integration/trigger/${t.id}/test-event`, {
      data: { body, contentType: "application/json" },
    });
    const text = await res.text();
    expect(res.status(), text).toBe(200);
    const result = JSON.parse(text);
    expect(result.response.status).toBe(202);
    expect(result.verification).toBe("signed with the stored secret: verified");
    // neither the secret nor anything made with it: no HMAC of the body in any encoding
    expect(text).not.toContain(secret);
    expect(text).not.toContain(hmacHex(secret, body));
    expect(text).not.toContain(createHmac("sha256", secret).update(body).digest("base64"));
    expect(text).not.toMatch(/v1=[0-9a-f]{64}|v1,[A-Za-z0-9+/=]{20,}|sha256=[0-9a-f]{64}/);
    expect(result.curl).toContain(
      verification.type === "bearer"
        ? "authorization: Bearer <trigger secret>"
        : "<signature made with the secret>",
    );
  }
});

test.describe("API tokens and sign-out", () => {
  test("sign out everywhere revokes API tokens unless unticked; a token cannot mint a token without the password", async ({
    page,
    playwright,
  }) => {
    const email = await signUpInBrowser(page);
    // a fresh sign-in mints without the password
    const { token } = await apiAs(page, "/api/v1/token/create", { name: "laptop" });
    const { token: kept } = await apiAs(page, "/api/v1/token/create", {
      name: "expiring",
      expiresInDays: 7,
    });
    const bearer = (t: string) =>
      playwright.request.newContext({
        baseURL: new URL(page.url()).origin,
        extraHTTPHeaders: { authorization: `Bearer ${t}` },
      });
    const api = await bearer(token);
    const list = await json(await api.get("/api/v1/token/list"));
    const expiring = list.items.find((t: { name: string }) => t.name === "expiring");
    expect(expiring.expired).toBe(false);
    expect(Date.parse(expiring.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 24 * 3600 * 1000);
    // a token on its own cannot mint another: the password is needed
    const noPassword = await expectError(
      await api.post("/api/v1/token/create", { data: { name: "escalate" } }),
      403,
      "REAUTH_REQUIRED",
    );
    expect(noPassword.message).toContain("password");
    await expectError(
      await api.post("/api/v1/token/create", { data: { name: "x", password: "wrong-password" } }),
      422,
      "VALIDATION_ERROR",
    );
    await json(await api.post("/api/v1/token/create", { data: { name: "y", password: PASSWORD } }));

    // untick: sessions end, tokens keep working
    await page.goto("/account");
    await page.getByLabel("Also revoke every API token").last().uncheck();
    await page.getByRole("button", { name: "Sign out everywhere" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(page).toHaveURL(/\/signin/);
    expect((await api.get("/api/v1/token/list")).status()).toBe(200);

    // sign in again; this time, with the box ticked (the default), the tokens go too
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/triggers/);
    await page.goto("/account");
    await expect(page.getByLabel("Also revoke every API token").last()).toBeChecked();
    await page.getByRole("button", { name: "Sign out everywhere" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(page).toHaveURL(/\/signin/);
    await expectError(await api.get("/api/v1/token/list"), 401, "UNAUTHORIZED");
    const other = await bearer(kept);
    await expectError(await other.get("/api/v1/token/list"), 401, "UNAUTHORIZED");
    await api.dispose();
    await other.dispose();
  });
});

test("with sign-up closed a taken and a free email get the same answer; Inngest refuses unsigned syncs; 60 wrong passwords from other addresses leave the owner's sign-in working", async () => {
  const port = await freePort();
  const server = ownServer(port, {
    env: {
      ALLOW_SIGNUP: "false",
      TRUST_PROXY_HOPS: "1",
      INNGEST_BASE_URL: "http://127.0.0.1:9",
      INNGEST_SIGNING_KEY: "signkey-prod-0123456789abcdef0123456789abcdef",
      INNGEST_EVENT_KEY: "event-key-unused",
    },
  });
  const s = await server;
  await s.start();
  try {
    const owner = uniqueEmail("owner");
    // the first account may always sign up
    await signedInContext(owner, s.base).then(({ ctx }) => ctx.dispose());
    const signUp = (email: string) =>
      fetch(`${s.base}/api/auth/signup`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": "10.9.0.1" },
        body: JSON.stringify({ email, password: PASSWORD }),
      }).then(async (r) => ({ status: r.status, body: await r.json() }));
    const taken = await signUp(owner);
    const free = await signUp(uniqueEmail("free"));
    expect(taken.status).toBe(403);
    expect(taken).toEqual(free);

    const sync = await fetch(`${s.base}/api/inngest`, { method: "PUT" });
    expect(sync.status).toBe(401);
    const introspect = await fetch(`${s.base}/api/inngest`);
    expect(introspect.status).toBe(401);

    // sixty guesses from sixty other addresses
    const attempt = async (address: string, password: string) => {
      const jar: string[] = [];
      const csrf = await fetch(`${s.base}/api/auth/csrf`, {
        headers: { "x-forwarded-for": address },
      });
      jar.push(...csrf.headers.getSetCookie().map((c) => c.split(";")[0]));
      const { csrfToken } = await csrf.json();
      const res = await fetch(`${s.base}/api/auth/callback/credentials`, {
        method: "POST",
        redirect: "manual",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-forwarded-for": address,
          cookie: jar.join("; "),
        },
        body: new URLSearchParams({ csrfToken, email: owner, password }).toString(),
      });
      return { status: res.status, location: res.headers.get("location") ?? "" };
    };
    for (let i = 1; i <= 60; i++) {
      const guess = await attempt(`10.1.${i}.1`, `guess-${i}`);
      expect(guess.location).toMatch(/error=/);
    }
    const mine = await attempt("10.2.0.1", PASSWORD);
    expect(mine.status).toBe(302);
    expect(mine.location).not.toMatch(/error=/);
  } finally {
    await s.stop();
  }
});
