import "server-only";
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import type { Trigger, Verification } from "@/db/schema";
import { isStorableText } from "@/lib/core/body";
import { MAX_KEY_LENGTH } from "./schema";
import { ApiError } from "@/lib/core/errors";
import { now } from "@/lib/core/clock";
import { decryptSecret, safeEqual, sha256 } from "@/lib/crypto/secrets";

/** Signed timestamps older (or newer) than this are refused: a replayed delivery. */
export const TOLERANCE_SECONDS = 300;

const unauthorized = (message: string) => new ApiError("UNAUTHORIZED", message);
const tooOld = () =>
  unauthorized(
    "The signature is too old (its timestamp is more than 5 minutes from this server's time): a replayed delivery, or the sender's clock is off",
  );

const hmac = (algorithm: string, secret: string | Buffer, data: string | Uint8Array) =>
  createHmac(algorithm, secret).update(data);

// Opening a stored secret (AES-GCM) was 4% of the event endpoint's CPU (docs/benchmarks.md): each
// is opened once per trigger row and forgotten with the row, which the trigger cache drops within
// two TTLs of its expiry while events arrive (lib/events/trigger-cache.ts). Its SHA-256 is kept
// beside it for the constant-time Bearer comparison.
type Opened = { plain: string; digest: Buffer };
const openedSecrets = new WeakMap<Trigger, Map<string, Opened>>();

function opened(trigger: Trigger, stored: string): Opened {
  let known = openedSecrets.get(trigger);
  if (!known) openedSecrets.set(trigger, (known = new Map()));
  let secret = known.get(stored);
  if (!secret) {
    const plain = decryptSecret(stored);
    known.set(stored, (secret = { plain, digest: sha256(plain) }));
  }
  return secret;
}

/** The secrets a delivery may be signed with: the provider's, else the trigger's (and a rotated-out one in its grace). */
function secretsOf(trigger: Trigger): Opened[] {
  if (trigger.verificationSecretEnc) return [opened(trigger, trigger.verificationSecretEnc)];
  const list = [opened(trigger, trigger.secretEnc)];
  if (
    trigger.previousSecretEnc &&
    trigger.previousSecretExpiresAt &&
    trigger.previousSecretExpiresAt > now()
  )
    list.push(opened(trigger, trigger.previousSecretEnc));
  return list;
}

/** Whether `given` is one of the secrets, in constant time (hashes have equal lengths). */
const isOneOf = (given: string, secrets: Opened[]) => {
  const digest = sha256(given);
  return secrets.some((s) => timingSafeEqual(s.digest, digest));
};

const fresh = (timestampSeconds: number) =>
  Number.isFinite(timestampSeconds) &&
  Math.abs(now().getTime() / 1000 - timestampSeconds) <= TOLERANCE_SECONDS;

/**
 * Checks a delivery the way its sender signs it (the trigger's `verification`
 * preset); throws 401 with what is wrong. A tampered body fails the signature;
 * a stale signed timestamp is refused as too old.
 */
export function verifyDelivery(trigger: Trigger, headers: Headers, raw: Uint8Array) {
  const v = trigger.verification;
  const keys = secretsOf(trigger);
  const secrets = keys.map((s) => s.plain);
  const header = (name: string) => headers.get(name)?.trim() ?? "";
  const body = Buffer.from(raw);
  const matches = (expected: (secret: string) => string, given: string) =>
    given !== "" && secrets.some((s) => safeEqual(expected(s), given));

  switch (v.type) {
    case "bearer": {
      const bearer = /^Bearer\s+(\S+)$/i.exec(header("authorization"))?.[1];
      if (bearer && isOneOf(bearer, keys)) return;
      const signature = header("x-hub-signature-256").toLowerCase();
      if (matches((s) => `sha256=${hmac("sha256", s, body).digest("hex")}`, signature)) return;
      throw unauthorized(
        bearer || signature
          ? "Invalid trigger secret or signature"
          : "This trigger requires authentication: send Authorization: Bearer <secret> or X-Hub-Signature-256",
      );
    }
    case "github": {
      const signature = header("x-hub-signature-256").toLowerCase();
      if (!signature) throw unauthorized("Missing X-Hub-Signature-256 (GitHub signs with it)");
      if (matches((s) => `sha256=${hmac("sha256", s, body).digest("hex")}`, signature)) return;
      throw unauthorized("Invalid X-Hub-Signature-256: the body or the secret does not match");
    }
    case "shopify": {
      const signature = header("x-shopify-hmac-sha256");
      if (!signature) throw unauthorized("Missing X-Shopify-Hmac-Sha256 (Shopify signs with it)");
      if (matches((s) => hmac("sha256", s, body).digest("base64"), signature)) return;
      throw unauthorized("Invalid X-Shopify-Hmac-Sha256: the body or the secret does not match");
    }
    case "hmac": {
      const name = v.header ?? "x-signature";
      const signature = header(name);
      if (!signature) throw unauthorized(`Missing ${name}`);
      const expected = (s: string) =>
        `${v.prefix ?? ""}${hmac(v.algorithm ?? "sha256", s, body).digest(v.encoding ?? "hex")}`;
      const given = v.encoding === "base64" ? signature : signature.toLowerCase();
      if (
        matches((s) => (v.encoding === "base64" ? expected(s) : expected(s).toLowerCase()), given)
      )
        return;
      throw unauthorized(`Invalid ${name}: the body or the secret does not match`);
    }
    case "stripe": {
      // Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">[,v1=...]
      const parts = header("stripe-signature")
        .split(",")
        .map((p) => p.trim().split("="));
      const t = parts.find(([k]) => k === "t")?.[1] ?? "";
      const signatures = parts.filter(([k]) => k === "v1").map(([, sig]) => sig ?? "");
      if (!t || !signatures.length)
        throw unauthorized("Missing or malformed Stripe-Signature (t=... and v1=...)");
      const signed = Buffer.concat([Buffer.from(`${t}.`), body]);
      const ok = secrets.some((s) => {
        const expected = hmac("sha256", s, signed).digest("hex");
        return signatures.some((sig) => safeEqual(expected, sig));
      });
      if (!ok)
        throw unauthorized(
          "Invalid Stripe-Signature: the body or the signing secret does not match",
        );
      if (!fresh(Number(t))) throw tooOld();
      return;
    }
    case "slack": {
      // X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:timestamp:body">, X-Slack-Request-Timestamp
      const t = header("x-slack-request-timestamp");
      const signature = header("x-slack-signature");
      if (!t || !signature)
        throw unauthorized("Missing X-Slack-Signature or X-Slack-Request-Timestamp");
      const signed = Buffer.concat([Buffer.from(`v0:${t}:`), body]);
      if (!matches((s) => `v0=${hmac("sha256", s, signed).digest("hex")}`, signature))
        throw unauthorized(
          "Invalid X-Slack-Signature: the body or the signing secret does not match",
        );
      if (!fresh(Number(t))) throw tooOld();
      return;
    }
    case "graph": {
      // Microsoft Graph puts the subscription's clientState in every notification of the body
      const values = (parseJson(body) as { value?: unknown } | null)?.value;
      if (!Array.isArray(values) || !values.length)
        throw unauthorized("Not a Microsoft Graph notification: the body has no value list");
      for (const n of values) {
        const state = (n as { clientState?: unknown } | null)?.clientState;
        if (typeof state !== "string" || !isOneOf(state, keys))
          throw unauthorized(
            "Invalid clientState: every notification must carry the subscription's clientState (the secret)",
          );
      }
      return;
    }
    case "standard-webhooks": {
      const wanted = ["webhook-id", "webhook-timestamp", "webhook-signature"];
      const given = Object.fromEntries(wanted.map((n) => [n, header(n)]));
      if (wanted.some((n) => !given[n]))
        throw unauthorized("Missing webhook-id, webhook-timestamp or webhook-signature");
      const payload = body.toString("utf8");
      let stale = false;
      for (const secret of secrets) {
        try {
          new Webhook(secret).verify(payload, given);
          return;
        } catch (error) {
          // the library parses the body as JSON only after the signature matched
          if (error instanceof SyntaxError) return;
          if (!(error instanceof WebhookVerificationError)) continue; // a secret it cannot use
          if (/timestamp too (old|new)/i.test(error.message)) stale = true;
        }
      }
      throw stale
        ? tooOld()
        : unauthorized("Invalid webhook-signature: the body or the signing secret does not match");
    }
  }
}

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8"));
  } catch {
    return null;
  }
}

const hashed = (value: string | Uint8Array) => createHash("sha256").update(value).digest("hex");
/** A provider's id as a key: long ones (no limit is promised) by their hash. */
const keyOf = (prefix: string, id: string) => `${prefix}:${id.length <= 200 ? id : hashed(id)}`;

/**
 * The dedupe key of a delivery whose signature covers it, for a trigger that
 * verifies that signature: the signed delivery id where the preset has one
 * (Stripe's event id, Standard Webhooks' webhook-id, Slack's event_id), else
 * the signed body itself (GitHub, Shopify and HMAC sign no timestamp, so a
 * captured delivery could be sent again; GitHub's own "Redeliver" sends the
 * same body). An unsigned Idempotency-Key or X-GitHub-Delivery cannot replace
 * it, so a replay with a new one is still the same delivery. Null for presets
 * that sign nothing (bearer).
 *
 * Read from the signed bytes, never from how the unsigned Content-Type had them
 * parsed: a captured delivery re-sent as text/plain or as a form is the same
 * delivery. A structured CloudEvent (or a batch of them) keeps the key its
 * attributes give it (`ce:source#id`, the first entry's for a batch), so the
 * same bytes re-sent as plain JSON are the same delivery too.
 */
export function signedDeliveryKey(
  v: Verification,
  headers: Headers,
  raw: Uint8Array,
): string | null {
  if (v.type === "bearer") return null;
  const doc = parseJson(raw);
  const cloudEvent = structuredCloudEventKey(Array.isArray(doc) ? doc[0] : doc);
  if (cloudEvent) return cloudEvent;
  const field = (name: string) =>
    doc && typeof doc === "object" && !Array.isArray(doc)
      ? (doc as Record<string, unknown>)[name]
      : undefined;
  const body = () => `body:${hashed(raw)}`;
  switch (v.type) {
    case "stripe": {
      const id = field("id");
      return typeof id === "string" && id ? keyOf("stripe", id) : body();
    }
    case "standard-webhooks":
      return keyOf("webhook", headers.get("webhook-id")?.trim() ?? "");
    case "slack": {
      const id = field("event_id");
      return typeof id === "string" && id ? keyOf("slack", id) : body();
    }
    case "github":
    case "shopify":
    case "hmac":
    case "graph":
      return body();
  }
}

/** The key a structured CloudEvent is stored under (lib/events/cloudevents.ts), or null for anything else. */
function structuredCloudEventKey(doc: unknown): string | null {
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) return null;
  const { specversion, id, source } = doc as Record<string, unknown>;
  const text = (value: unknown) => typeof value === "string" && value !== "";
  if (!text(specversion) || !text(id) || !text(source)) return null;
  const key = `ce:${source}#${id}`;
  // one the structured path refuses (too long, not storable) is keyed by the preset instead
  return key.length <= MAX_KEY_LENGTH && isStorableText(key) ? key : null;
}

/** Where a delivery's own id is (a provider's retry carries the same one): the idempotency key when none was sent. */
export function deliveryId(headers: Headers, payload: unknown): string | null {
  const h = (name: string) => headers.get(name)?.trim() || null;
  const field = (name: string) =>
    payload && typeof payload === "object" && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)[name]
      : undefined;
  const github = h("x-github-delivery");
  if (github) return `github:${github}`;
  const standard = h("webhook-id");
  if (standard) return `webhook:${standard}`;
  const shopify = h("x-shopify-webhook-id");
  if (shopify) return `shopify:${shopify}`;
  const stripe = field("id");
  if (h("stripe-signature") && typeof stripe === "string") return `stripe:${stripe}`;
  const slack = field("event_id");
  if (h("x-slack-signature") && typeof slack === "string") return `slack:${slack}`;
  return null;
}
