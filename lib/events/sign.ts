import "server-only";
import { createHmac, randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import type { Verification } from "@/db/schema";
import { now } from "@/lib/core/clock";

/**
 * Signs a delivery exactly as the preset's sender would (the dashboard's
 * "Send test event" proves the set-up end to end with it): the headers to send
 * with `body`, including a fresh delivery id where the sender has one.
 */
export function signDelivery(
  verification: Verification,
  secret: string,
  body: string,
  at = now(),
): Record<string, string> {
  const hmac = (algorithm: string, data: string) => createHmac(algorithm, secret).update(data);
  const seconds = Math.floor(at.getTime() / 1000);
  switch (verification.type) {
    case "bearer":
      return { authorization: `Bearer ${secret}` };
    case "github":
      return {
        "x-hub-signature-256": `sha256=${hmac("sha256", body).digest("hex")}`,
        "x-github-event": "ping",
        "x-github-delivery": randomUUID(),
      };
    case "shopify":
      return {
        "x-shopify-hmac-sha256": hmac("sha256", body).digest("base64"),
        "x-shopify-topic": "orders/create",
        "x-shopify-webhook-id": randomUUID(),
      };
    case "hmac": {
      const digest = hmac(verification.algorithm ?? "sha256", body).digest(
        verification.encoding ?? "hex",
      );
      return { [verification.header ?? "x-signature"]: `${verification.prefix ?? ""}${digest}` };
    }
    case "stripe":
      return {
        "stripe-signature": `t=${seconds},v1=${hmac("sha256", `${seconds}.${body}`).digest("hex")}`,
      };
    case "slack":
      return {
        "x-slack-request-timestamp": String(seconds),
        "x-slack-signature": `v0=${hmac("sha256", `v0:${seconds}:${body}`).digest("hex")}`,
      };
    case "graph":
      return {}; // Graph's check is the clientState inside the body, not a header
    case "standard-webhooks": {
      const id = `msg_${randomUUID().replaceAll("-", "")}`;
      return {
        "webhook-id": id,
        "webhook-timestamp": String(seconds),
        "webhook-signature": new Webhook(secret).sign(id, at, body),
      };
    }
  }
}
