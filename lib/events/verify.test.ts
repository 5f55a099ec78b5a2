import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Trigger } from "@/db/schema";
import { encryptSecret } from "@/lib/crypto/secrets";
import { signDelivery } from "./sign";
import { deliveryId, signedDeliveryKey, verifyDelivery } from "./verify";

const SECRET = "provider-secret-0001";
const trigger = (verification: Trigger["verification"]) =>
  ({
    verification,
    verificationSecretEnc: encryptSecret(SECRET),
    secretEnc: encryptSecret("trigger-secret"),
    previousSecretEnc: null,
    previousSecretExpiresAt: null,
  }) as unknown as Trigger;
const bytes = (s: string) => new TextEncoder().encode(s);

describe("verification presets", () => {
  const presets: Trigger["verification"][] = [
    { type: "github" },
    { type: "stripe" },
    { type: "slack" },
    { type: "shopify" },
    { type: "hmac", header: "x-acme-proof", algorithm: "sha1", encoding: "base64", prefix: "s=" },
    { type: "bearer" },
  ];
  for (const v of presets) {
    it(`${v.type}: what its sender signs verifies; another body or secret does not`, () => {
      const body = JSON.stringify({ id: "evt_1", event_id: "Ev1", text: "hi" });
      const headers = new Headers(signDelivery(v, SECRET, body));
      expect(() => verifyDelivery(trigger(v), headers, bytes(body))).not.toThrow();
      // a Bearer secret does not sign the body; every other preset does
      if (v.type !== "bearer")
        expect(() => verifyDelivery(trigger(v), headers, bytes(`${body} `))).toThrow(
          /Invalid|signature/,
        );
      const forged = new Headers(signDelivery(v, "another-secret", body));
      expect(() => verifyDelivery(trigger(v), forged, bytes(body))).toThrow();
    });
  }

  it("standard-webhooks verifies with its whsec_ secret and refuses a stale timestamp", () => {
    const v = { type: "standard-webhooks" as const };
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const t = { ...trigger(v), verificationSecretEnc: encryptSecret(secret) } as Trigger;
    const body = '{"type":"user.created"}';
    expect(() =>
      verifyDelivery(t, new Headers(signDelivery(v, secret, body)), bytes(body)),
    ).not.toThrow();
    const old = new Date(Date.now() - 10 * 60_000);
    expect(() =>
      verifyDelivery(t, new Headers(signDelivery(v, secret, body, old)), bytes(body)),
    ).toThrow(/too old/);
  });

  it("graph: every notification must carry the clientState", () => {
    const v = { type: "graph" as const };
    const ok = JSON.stringify({ value: [{ clientState: SECRET }, { clientState: SECRET }] });
    const mixed = JSON.stringify({ value: [{ clientState: SECRET }, { clientState: "x" }] });
    expect(() => verifyDelivery(trigger(v), new Headers(), bytes(ok))).not.toThrow();
    expect(() => verifyDelivery(trigger(v), new Headers(), bytes(mixed))).toThrow(/clientState/);
    expect(() => verifyDelivery(trigger(v), new Headers(), bytes("{}"))).toThrow(/value list/);
  });
});

describe("the dedupe key of a signed delivery", () => {
  const body = bytes('{"id":"evt_9","event_id":"Ev9"}');
  const payload = { id: "evt_9", event_id: "Ev9" };
  const sha = createHmac("sha256", "").update("").digest("hex").length; // 64
  it("is the signed id where the preset has one, whatever unsigned key was sent", () => {
    const h = new Headers({ "idempotency-key": "k", "webhook-id": "msg_1" });
    expect(signedDeliveryKey({ type: "stripe" }, h, body)).toBe("stripe:evt_9");
    expect(signedDeliveryKey({ type: "slack" }, h, body)).toBe("slack:Ev9");
    expect(signedDeliveryKey({ type: "standard-webhooks" }, h, body)).toBe("webhook:msg_1");
  });
  it("is the signed body for presets that sign no timestamp; null for bearer", () => {
    const h = new Headers({ "x-github-delivery": "d-1" });
    const key = signedDeliveryKey({ type: "github" }, h, body)!;
    expect(key).toMatch(new RegExp(`^body:[0-9a-f]{${sha}}$`));
    expect(
      signedDeliveryKey({ type: "github" }, new Headers({ "x-github-delivery": "d-2" }), body),
    ).toBe(key);
    expect(signedDeliveryKey({ type: "bearer" }, h, body)).toBeNull();
    expect(deliveryId(h, payload)).toBe("github:d-1");
  });
  it("is read from the signed bytes, so a form or text body that is JSON keeps its id", () => {
    // what a form parser would make of these bytes holds another `id` (after the `&`)
    const tricky = bytes('{"id":"evt_1","url":"https://x.test/?a=1&id=evt_2"}');
    expect(signedDeliveryKey({ type: "stripe" }, new Headers(), tricky)).toBe("stripe:evt_1");
    expect(signedDeliveryKey({ type: "stripe" }, new Headers(), bytes("not json"))).toMatch(
      /^body:/,
    );
  });
  it("is a structured CloudEvent's own key (the first entry's for a batch), for every signing preset", () => {
    const ce = { specversion: "1.0", id: "a-1", source: "/orders", type: "t" };
    for (const type of ["hmac", "github", "standard-webhooks", "stripe"] as const) {
      const v = { type } as Trigger["verification"];
      const h = new Headers({ "webhook-id": "msg_1" });
      expect(signedDeliveryKey(v, h, bytes(JSON.stringify(ce)))).toBe("ce:/orders#a-1");
      const batch = bytes(JSON.stringify([ce, { ...ce, id: "a-2" }]));
      expect(signedDeliveryKey(v, h, batch)).toBe("ce:/orders#a-1");
    }
    const notQuite = bytes(JSON.stringify({ ...ce, specversion: 1 }));
    expect(signedDeliveryKey({ type: "hmac" }, new Headers(), notQuite)).toMatch(/^body:/);
    // one that could not be stored as a key (too long, a NUL) is keyed by the signed body
    for (const source of ["/".repeat(300), "/a\u0000b"])
      expect(
        signedDeliveryKey(
          { type: "hmac" },
          new Headers(),
          bytes(JSON.stringify({ ...ce, source })),
        ),
      ).toMatch(/^body:/);
  });
});
