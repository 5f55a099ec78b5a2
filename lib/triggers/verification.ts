import { z } from "zod";
import type { Verification, VerificationType } from "@/db/schema";

export type { Verification, VerificationType };

// How a trigger checks who sent an event: one preset per kind of sender.
// Pure (no server imports): the trigger form uses it too.

export const VERIFICATION_TYPES = [
  "bearer",
  "github",
  "stripe",
  "slack",
  "standard-webhooks",
  "shopify",
  "hmac",
  "graph",
] as const satisfies readonly VerificationType[];

export const verificationSchema = z
  .object({
    type: z.enum(VERIFICATION_TYPES),
    /** The provider's signing secret (Stripe's whsec_…, Slack's signing secret): write-only. */
    secret: z.string().trim().min(1, "must not be empty").max(500).nullish(),
    header: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{1,100}$/, "must be a header name")
      .nullish(),
    algorithm: z.enum(["sha256", "sha1"]).nullish(),
    encoding: z.enum(["hex", "base64"]).nullish(),
    prefix: z.string().max(50).nullish(),
  })
  .superRefine((v, ctx) => {
    if (v.type === "hmac" && !v.header)
      ctx.addIssue({ code: "custom", path: ["header"], message: "is required for hmac" });
  });

export type VerificationInput = z.infer<typeof verificationSchema>;

/** The public form of a trigger's verification: never the secret, only whether one is set. */
export function publicVerification(v: Verification, secretSet: boolean) {
  return {
    type: v.type,
    header: v.header ?? null,
    algorithm: v.algorithm ?? null,
    encoding: v.encoding ?? null,
    prefix: v.prefix ?? null,
    secretSet,
  };
}

/** Per preset: what it checks, and the steps to connect the sender. */
export const SOURCE_GUIDES: Record<
  VerificationType,
  { label: string; checks: string; steps: string[]; providerSecret: boolean }
> = {
  bearer: {
    label: "Any sender (Bearer secret)",
    checks: "Authorization: Bearer <trigger secret>, or a GitHub-style X-Hub-Signature-256.",
    steps: [
      "Send a POST to the event URL with the header Authorization: Bearer <the trigger's secret>.",
      "Any content type works; JSON is stored parsed.",
    ],
    providerSecret: false,
  },
  github: {
    label: "GitHub",
    checks:
      "X-Hub-Signature-256 (HMAC-SHA256 of the body); the same signed body within 24 h is a duplicate (GitHub's Redeliver included).",
    steps: [
      "In the repository or organisation: Settings → Webhooks → Add webhook.",
      "Payload URL: the event URL. Content type: application/json.",
      "Secret: the trigger's secret (or paste your own below and use that).",
      "Choose the events to send, then a filter here keeps the ones your bot should see.",
    ],
    providerSecret: false,
  },
  stripe: {
    label: "Stripe",
    checks: "Stripe-Signature (t=…, v1=…) within 5 minutes; the event id de-duplicates retries.",
    steps: [
      "Stripe Dashboard → Developers → Webhooks → Add endpoint; the endpoint URL is the event URL.",
      "Select the events, then open the endpoint and reveal its signing secret (whsec_…).",
      "Paste that signing secret here.",
    ],
    providerSecret: true,
  },
  slack: {
    label: "Slack (Events API)",
    checks: "X-Slack-Signature (v0) within 5 minutes; answers Slack's url_verification challenge.",
    steps: [
      "api.slack.com/apps → your app → Basic Information: copy the Signing Secret and paste it here.",
      "Event Subscriptions → Enable → Request URL: the event URL (the challenge is answered at once).",
      "Subscribe to the bot events you need; event_id de-duplicates Slack's retries.",
    ],
    providerSecret: true,
  },
  "standard-webhooks": {
    label: "Standard Webhooks (Svix, Clerk, Resend, …)",
    checks:
      "webhook-id, webhook-timestamp and webhook-signature within 5 minutes; webhook-id de-duplicates.",
    steps: [
      "In the sender's dashboard, add an endpoint with the event URL.",
      "Copy its signing secret (whsec_…) and paste it here.",
    ],
    providerSecret: true,
  },
  shopify: {
    label: "Shopify",
    checks: "X-Shopify-Hmac-Sha256 (base64); the same signed body within 24 h is a duplicate.",
    steps: [
      "Shopify admin → Settings → Notifications → Webhooks → Create webhook; format JSON; URL: the event URL.",
      "Copy the signing key shown under the webhooks list and paste it here (apps: the app's client secret).",
    ],
    providerSecret: true,
  },
  hmac: {
    label: "Custom HMAC",
    checks:
      "An HMAC of the raw body in a header you name (sha256 or sha1, hex or base64, optional prefix); the same signed body within 24 h is a duplicate. The header is never stored.",
    steps: [
      "Name the header the sender puts its signature in, the algorithm, the encoding and any prefix (such as sha256=).",
      "Paste the sender's secret here, or give the sender the trigger's secret.",
    ],
    providerSecret: false,
  },
  graph: {
    label: "Microsoft Graph (change notifications)",
    checks:
      "Every notification's clientState equals the secret; the validationToken handshake is answered; the same body within 24 h is a duplicate.",
    steps: [
      "Create the subscription (POST /subscriptions) with notificationUrl set to the event URL.",
      "Set its clientState to the trigger's secret (or paste your own clientState here).",
      "Graph's validation request is answered on the spot; only triggers with this preset answer it.",
    ],
    providerSecret: false,
  },
};
