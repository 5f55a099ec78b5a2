import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

// Standard Webhooks (https://www.standardwebhooks.com) for what we send: the library that signs is
// the one receivers verify with.

/** A new signing secret in the Standard Webhooks form: whsec_ and 32 random bytes in base64. */
export const newSigningSecret = () => `whsec_${randomBytes(32).toString("base64")}`;

/** The three headers of a signed delivery; `id` is stable across retries, so receivers dedupe. */
export function signedHeaders(secret: string, id: string, body: string, at = new Date()) {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(id, at, body),
  };
}
