import "server-only";
import type { Trigger } from "@/db/schema";
import { errorResponse, toApiError } from "@/lib/core/errors";
import { decryptSecret } from "@/lib/crypto/secrets";
import { ingestEvent } from "@/lib/events/ingest";
import { signDelivery } from "@/lib/events/sign";
import { eventUrlFor } from "./serialize";
import { getTriggerOrThrow } from "@/db/owned";

/** Headers whose values are made with a secret: shown as placeholders, never as values. */
const SIGNED =
  /^(authorization|stripe-signature|x-hub-signature-256|x-slack-signature|x-shopify-hmac-sha256|webhook-signature)$/;

const shellQuote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/**
 * "Send test event": the payload signed as the trigger's sender would sign it
 * (with the stored secret), delivered through the event endpoint's own code,
 * and its answer. What would go wrong for the real sender goes wrong here.
 * It is not a signing oracle: the signature is made for this test event only,
 * which it stores, and never returned; the answer says whether verification
 * passed and gives a curl with a placeholder where the signature goes.
 */
export async function sendTestEvent({
  ownerId,
  id,
  body,
  contentType,
  query,
  baseUrl,
}: {
  ownerId: string;
  id: string;
  body: string;
  contentType: string;
  query?: string;
  baseUrl: string;
}) {
  const trigger: Trigger = await getTriggerOrThrow({ ownerId, id });
  const secret = decryptSecret(trigger.verificationSecretEnc ?? trigger.secretEnc);
  const signed = trigger.authenticate ? signDelivery(trigger.verification, secret, body) : {};
  const headers: Record<string, string> = {
    "content-type": contentType,
    "user-agent": "trigger-dashboard test console",
    ...signed,
  };
  const url = new URL(`${eventUrlFor(baseUrl, id)}${query ? `?${query.replace(/^\?/, "")}` : ""}`);
  const req = new Request(url, { method: "POST", headers, body });
  let res: Response;
  try {
    res = await ingestEvent({ triggerId: id, req, url });
  } catch (error) {
    res = errorResponse(toApiError(error));
  }
  const text = await res.text();
  let answer: unknown = text;
  try {
    answer = JSON.parse(text);
  } catch {
    // a handshake answers plain text
  }
  const secretHeaders = new Set(
    Object.keys(signed).filter(
      (name) =>
        SIGNED.test(name.toLowerCase()) ||
        name.toLowerCase() === trigger.verification.header?.toLowerCase(),
    ),
  );
  const shown = Object.fromEntries(Object.entries(headers).filter(([k]) => !secretHeaders.has(k)));
  const placeholder = (name: string) =>
    name === "authorization" ? "Bearer <trigger secret>" : "<signature made with the secret>";
  const curl = [
    `curl -X POST ${shellQuote(url.toString())}`,
    ...Object.entries(headers).map(
      ([k, v]) => `-H ${shellQuote(`${k}: ${secretHeaders.has(k) ? placeholder(k) : v}`)}`,
    ),
    `--data-binary ${shellQuote(body)}`,
  ].join(" \\\n  ");
  return {
    request: { url: url.toString(), headers: shown },
    verification: !trigger.authenticate
      ? "not checked: this trigger accepts events without a signature"
      : res.status === 401
        ? `signed with the stored secret: refused (${(answer as { message?: string })?.message ?? "unauthorized"})`
        : "signed with the stored secret: verified",
    curl,
    response: { status: res.status, body: answer },
  };
}
