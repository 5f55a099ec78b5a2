import "server-only";
import type { ReplyTarget, Trigger } from "@/db/schema";
import { ApiError } from "@/lib/core/errors";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secrets";
import type { ReplyInput } from "./schema";
import { newSigningSecret } from "./sign";

// A trigger's reply target: the public part (type, callback URL) in `reply`, the credentials (a
// Slack or GitHub token, the callback's signing secret) encrypted in `reply_secrets_enc`, never
// returned. The signing secret is made here and shown once, like the trigger's own secret.

type ReplySecrets = { token?: string; signingSecret?: string };
type Stored = Pick<Trigger, "reply" | "replySecretsEnc">;

export function replySecrets(t: Stored): ReplySecrets {
  return t.replySecretsEnc ? (JSON.parse(decryptSecret(t.replySecretsEnc)) as ReplySecrets) : {};
}

const seal = (s: ReplySecrets) =>
  s.token || s.signingSecret ? encryptSecret(JSON.stringify(s)) : null;

/**
 * The columns a create or update writes for `reply` (undefined: not given, nothing changes), and
 * the callback's signing secret when one was made now (the answer shows it once).
 */
export function replyColumns(
  input: ReplyInput | null | undefined,
  current: Stored = { reply: null, replySecretsEnc: null },
): { columns: Stored; signingSecret?: string } | undefined {
  if (input === undefined) return undefined;
  if (input === null || input.type === "none")
    return { columns: { reply: null, replySecretsEnc: null } };
  const stored = replySecrets(current);
  const sameType = current.reply?.type === input.type;
  if (input.type === "callback") {
    const signingSecret = sameType && stored.signingSecret ? undefined : newSigningSecret();
    return {
      columns: {
        reply: { type: "callback", url: input.url ?? null },
        replySecretsEnc: seal({ signingSecret: signingSecret ?? stored.signingSecret }),
      },
      ...(signingSecret && { signingSecret }),
    };
  }
  const token = input.token ?? (sameType ? stored.token : undefined);
  if (!token)
    throw new ApiError(
      "VALIDATION_ERROR",
      `Invalid body: reply.token: a ${input.type === "slack" ? "Slack bot" : "GitHub"} token is needed to reply`,
      { issues: [{ path: "reply.token", message: "is required" }] },
    );
  return { columns: { reply: { type: input.type }, replySecretsEnc: seal({ token }) } };
}

/** A new signing secret for a callback reply (the old one stops signing at once). */
export function rotatedReplySecret(current: Stored): { columns: Stored; signingSecret: string } {
  if (current.reply?.type !== "callback")
    throw new ApiError("CONFLICT", "Only a callback reply has a signing secret");
  const signingSecret = newSigningSecret();
  return {
    columns: { reply: current.reply, replySecretsEnc: seal({ signingSecret }) },
    signingSecret,
  };
}

/** What the API shows: the target and whether its credentials are set, never them. */
export function publicReply(
  t: Stored,
): (ReplyTarget & { tokenSet: boolean; secretSet: boolean }) | null {
  if (!t.reply) return null;
  const s = replySecrets(t);
  return { ...t.reply, tokenSet: Boolean(s.token), secretSet: Boolean(s.signingSecret) };
}
