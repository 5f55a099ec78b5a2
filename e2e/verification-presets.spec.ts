import { createHmac, randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import Stripe from "stripe";
import { userWithToken } from "./fixtures/accounts";
import { deliver, listEvents } from "./fixtures/pipeline";
import { createBot, createTrigger, expectError, json } from "./fixtures/resources";

const stripe = new Stripe("sk_test_unused");
const now = () => Math.floor(Date.now() / 1000);
const hmac = (alg: string, secret: string, data: string) => createHmac(alg, secret).update(data);

type Preset = {
  verification: Record<string, unknown>;
  sign: (body: string, at: number) => Record<string, string>;
  stale: boolean;
};

const STRIPE_SECRET = "whsec_test_stripe_signing_secret_0001";
const SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const SVIX_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const SHOPIFY_SECRET = "shpss_test_shopify_secret_0002";
const CUSTOM_SECRET = "custom-sender-secret-0003";

const PRESETS: Record<string, Preset> = {
  stripe: {
    verification: { type: "stripe", secret: STRIPE_SECRET },
    sign: (payload, timestamp) => ({
      "stripe-signature": stripe.webhooks.generateTestHeaderString({
        payload,
        secret: STRIPE_SECRET,
        timestamp,
      }),
    }),
    stale: true,
  },
  slack: {
    verification: { type: "slack", secret: SLACK_SECRET },
    sign: (body, t) => ({
      "x-slack-request-timestamp": String(t),
      "x-slack-signature": `v0=${hmac("sha256", SLACK_SECRET, `v0:${t}:${body}`).digest("hex")}`,
    }),
    stale: true,
  },
  "standard-webhooks": {
    verification: { type: "standard-webhooks", secret: SVIX_SECRET },
    sign: (body, t) => {
      const id = `msg_${randomUUID()}`;
      return {
        "webhook-id": id,
        "webhook-timestamp": String(t),
        "webhook-signature": new Webhook(SVIX_SECRET).sign(id, new Date(t * 1000), body),
      };
    },
    stale: true,
  },
  shopify: {
    verification: { type: "shopify", secret: SHOPIFY_SECRET },
    sign: (body) => ({
      "x-shopify-hmac-sha256": hmac("sha256", SHOPIFY_SECRET, body).digest("base64"),
    }),
    stale: false,
  },
  hmac: {
    verification: {
      type: "hmac",
      secret: CUSTOM_SECRET,
      header: "X-Acme-Signature",
      algorithm: "sha1",
      encoding: "base64",
      prefix: "sha1=",
    },
    sign: (body) => ({
      "x-acme-signature": `sha1=${hmac("sha1", CUSTOM_SECRET, body).digest("base64")}`,
    }),
    stale: false,
  },
};

test.describe("verification presets", () => {
  for (const [name, preset] of Object.entries(PRESETS)) {
    test(`${name}: a good delivery is accepted; a tampered body${preset.stale ? " and a stale timestamp are" : " is"} refused`, async ({
      request,
    }) => {
      const { api } = await userWithToken();
      const t = await createTrigger(api, { verification: preset.verification });
      const fetched = await json(await api.get(`/api/v1/integration/trigger/${t.id}/fetch`));
      expect(fetched.verification).toMatchObject({ type: name, secretSet: true });
      expect(JSON.stringify(fetched.verification)).not.toContain(
        String(preset.verification.secret),
      );
      const body = JSON.stringify({ id: `evt_${randomUUID()}`, text: `from ${name}` });
      const good = await deliver(request, t.id, body, preset.sign(body, now()));
      expect(good.status, JSON.stringify(good.body)).toBe(202);
      const tampered = await deliver(
        request,
        t.id,
        body.replace(name, "someone else"),
        preset.sign(body, now()),
      );
      expect(tampered.status).toBe(401);
      expect(tampered.body).toMatchObject({ code: "UNAUTHORIZED" });
      if (preset.stale) {
        const old = now() - 600;
        const stale = await deliver(request, t.id, body, preset.sign(body, old));
        expect(stale.status).toBe(401);
        expect(stale.body.message).toContain("too old");
      }
      expect(await deliver(request, t.id, body, {}).then((r) => r.status)).toBe(401);
      expect(await listEvents(api, t.id)).toHaveLength(1);
    });
  }

  test("github: the trigger's own secret signs when no provider secret is given; bearer still takes both; off checks nothing", async ({
    request,
  }) => {
    const { api } = await userWithToken();
    const gh = await createTrigger(api, { verification: { type: "github" } });
    const body = JSON.stringify({ action: "opened" });
    const sig = `sha256=${hmac("sha256", gh.secret, body).digest("hex")}`;
    expect((await deliver(request, gh.id, body, { "x-hub-signature-256": sig })).status).toBe(202);
    // GitHub's preset wants the signature: a bearer secret alone is not what GitHub sends
    expect(
      (await deliver(request, gh.id, body, { authorization: `Bearer ${gh.secret}` })).status,
    ).toBe(401);
    const bearer = await createTrigger(api);
    const bsig = `sha256=${hmac("sha256", bearer.secret, body).digest("hex")}`;
    expect((await deliver(request, bearer.id, body, { "x-hub-signature-256": bsig })).status).toBe(
      202,
    );
    expect(
      (await deliver(request, bearer.id, body, { authorization: `Bearer ${bearer.secret}` }))
        .status,
    ).toBe(202);
    const open = await createTrigger(api, {
      authenticate: false,
      verification: { type: "stripe", secret: STRIPE_SECRET },
    });
    expect((await deliver(request, open.id, body, {})).status).toBe(202);
  });

  test("standard-webhooks: a signed body that is not JSON is accepted; a secret that is not base64 is refused when saved", async ({
    request,
  }) => {
    const { api } = await userWithToken();
    await expectError(
      await api.post("/api/v1/integration/trigger/create", {
        data: {
          botId: await createBot(api),
          verification: { type: "standard-webhooks", secret: "whsec_%%%" },
        },
      }),
      422,
      "VALIDATION_ERROR",
    );
    const t = await createTrigger(api, { verification: PRESETS["standard-webhooks"].verification });
    const body = "plain text, not JSON";
    const res = await request.post(`/v1/integration/trigger/${t.id}/event`, {
      headers: { "content-type": "text/plain", ...PRESETS["standard-webhooks"].sign(body, now()) },
      data: body,
    });
    expect(res.status()).toBe(202);
  });

  test("the provider secret is write-only: kept by an update that leaves it out, dropped when the preset changes", async () => {
    const { api } = await userWithToken();
    const t = await createTrigger(api, { verification: { type: "slack", secret: SLACK_SECRET } });
    const T = `/api/v1/integration/trigger/${t.id}`;
    await json(await api.post(`${T}/update`, { data: { verification: { type: "slack" } } }));
    expect((await json(await api.get(`${T}/fetch`))).verification.secretSet).toBe(true);
    await json(await api.post(`${T}/update`, { data: { verification: { type: "shopify" } } }));
    expect((await json(await api.get(`${T}/fetch`))).verification).toMatchObject({
      type: "shopify",
      secretSet: false,
    });
    const bad = await expectError(
      await api.post(`${T}/update`, { data: { verification: { type: "hmac" } } }),
      422,
      "VALIDATION_ERROR",
    );
    expect(bad.issues?.[0].path).toBe("verification.header");
  });
});

test.describe("handshakes and delivery ids", () => {
  test("Slack's url_verification challenge and Microsoft Graph's validationToken are answered on the spot, nothing stored", async ({
    request,
  }) => {
    const { api } = await userWithToken();
    const t = await createTrigger(api, { verification: { type: "slack", secret: SLACK_SECRET } });
    const body = JSON.stringify({
      token: "x",
      challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
      type: "url_verification",
    });
    const res = await deliver(request, t.id, body, PRESETS.slack.sign(body, now()));
    expect(res).toEqual({
      status: 200,
      body: { challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" },
    });
    // an unsigned challenge is refused like any unsigned delivery
    expect((await deliver(request, t.id, body, {})).status).toBe(401);
    // Graph's handshake is answered only by a trigger set up for Graph (security, second pass, 8)
    const validate = (id: string) =>
      request.post(
        `/v1/integration/trigger/${id}/event?validationToken=Validation%3A%20Testing%20client`,
      );
    expect((await validate(t.id)).status()).toBe(401);
    const g = await createTrigger(api, { verification: { type: "graph" } });
    const graph = await validate(g.id);
    expect(graph.status()).toBe(200);
    expect(graph.headers()["content-type"]).toContain("text/plain");
    expect(await graph.text()).toBe("Validation: Testing client");
    expect(await listEvents(api, t.id)).toHaveLength(0);
    expect(await listEvents(api, g.id)).toHaveLength(0);
    // its notifications carry the secret as clientState
    const note = (clientState: string) =>
      JSON.stringify({
        value: [{ clientState, changeType: "created", resource: "me/messages/1" }],
      });
    expect((await deliver(request, g.id, note("wrong"), {})).status).toBe(401);
    expect((await deliver(request, g.id, note(g.secret), {})).status).toBe(202);
  });

  test("a provider's retry of the same delivery (its own delivery id) is one event", async ({
    request,
  }) => {
    const { api } = await userWithToken();
    type Send = (id: string) => Promise<{ status: number; body: { id: string } }>;
    const cases: { send: Send }[] = [];
    const gh = await createTrigger(api, { verification: { type: "github" } });
    cases.push({
      // GitHub signs no timestamp: its body is the delivery (here it differs per delivery)
      send: (id) => {
        const body = JSON.stringify({ action: "opened", delivery: id });
        return deliver(request, gh.id, body, {
          "x-github-delivery": id,
          "x-hub-signature-256": `sha256=${hmac("sha256", gh.secret, body).digest("hex")}`,
        });
      },
    });
    const sw = await createTrigger(api, {
      verification: PRESETS["standard-webhooks"].verification,
    });
    cases.push({
      send: (id) => {
        const body = JSON.stringify({ type: "user.created" });
        return deliver(request, sw.id, body, {
          "webhook-id": id,
          "webhook-timestamp": String(now()),
          "webhook-signature": new Webhook(SVIX_SECRET).sign(id, new Date(), body),
        });
      },
    });
    const shop = await createTrigger(api, { verification: PRESETS.shopify.verification });
    cases.push({
      send: (id) => {
        const body = JSON.stringify({ order: 1, delivery: id });
        return deliver(request, shop.id, body, {
          "x-shopify-webhook-id": id,
          ...PRESETS.shopify.sign(body, now()),
        });
      },
    });
    const st = await createTrigger(api, { verification: PRESETS.stripe.verification });
    cases.push({
      // Stripe re-signs a retry with a new timestamp; the event id stays
      send: (id) => {
        const body = JSON.stringify({ id, type: "invoice.paid" });
        return deliver(request, st.id, body, PRESETS.stripe.sign(body, now()));
      },
    });
    const sl = await createTrigger(api, { verification: PRESETS.slack.verification });
    cases.push({
      send: (id) => {
        const body = JSON.stringify({
          type: "event_callback",
          event_id: id,
          event: { type: "message" },
        });
        return deliver(request, sl.id, body, PRESETS.slack.sign(body, now()));
      },
    });
    for (const c of cases) {
      const id = `delivery-${randomUUID()}`;
      const first = await c.send(id);
      expect(first.status, JSON.stringify(first.body)).toBe(202);
      const again = await c.send(id);
      expect(again).toMatchObject({ status: 200, body: { id: first.body.id, duplicate: true } });
      expect((await c.send(`other-${randomUUID()}`)).status).toBe(202);
    }
    for (const t of [gh, sw, shop, st, sl]) expect(await listEvents(api, t.id)).toHaveLength(2);
  });
});
