// What of a request's headers an event keeps. Credentials and signatures are
// never stored (they would end up in the dashboard and in backups), nor the
// plumbing of proxies; what is left is capped, so a sender cannot make every
// event row large.

const NEVER = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "host",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "upgrade",
  "te",
  "trailer",
  "forwarded",
  "x-real-ip",
  "idempotency-key",
]);
/** Names that carry a secret or a signature, whatever the provider calls them. */
const SECRET_NAME =
  /secret|token|signature|hmac|auth|api[-_]?key|password|session|^x-forwarded-|^x-trigdash-|^cf-/i;
const MAX_HEADERS = 30;
const MAX_VALUE = 1000;

/**
 * The headers an event keeps (lower-case names), for the dashboard's event
 * inspector; `signatureHeader` is the trigger's own signature header (a custom
 * HMAC preset may name it anything), never kept either.
 */
export function keptHeaders(
  headers: Headers,
  signatureHeader?: string | null,
): Record<string, string> {
  const out: Record<string, string> = {};
  const own = signatureHeader?.toLowerCase();
  let n = 0;
  for (const [name, value] of headers) {
    if (NEVER.has(name) || SECRET_NAME.test(name) || name === own) continue;
    if (++n > MAX_HEADERS) break;
    out[name] = value.length > MAX_VALUE ? `${value.slice(0, MAX_VALUE)}…` : value;
  }
  return out;
}

/**
 * The few headers that tell a bot what happened, shown to the model with the
 * payload: the content type, the sender, and the event type that GitHub,
 * Shopify and Bitbucket send only as a header.
 */
export const MODEL_HEADERS = [
  "content-type",
  "user-agent",
  "x-github-event",
  "x-github-delivery",
  "x-shopify-topic",
  "x-event-key",
] as const;

export function modelHeaders(headers: Record<string, string> | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of MODEL_HEADERS) if (headers?.[name]) out[name] = headers[name];
  return out;
}
