/** What an identity provider asserted at sign-in. */
export type OAuthIdentity = {
  provider: string;
  /** The provider's stable id for the person (OIDC `sub`, GitHub's numeric user id). */
  subject: string;
  email: string | null;
  /** Whether the provider vouches that the person controls `email`. */
  emailVerified: boolean;
  name?: string | null;
};

export type OAuthDecision =
  | { action: "sign-in"; userId: string }
  | { action: "link"; userId: string }
  | { action: "create" }
  | { action: "refuse"; code: RefusalCode; reason: string };

/** Why an external sign-in was refused; the sign-in and account pages say it in words. */
export type RefusalCode =
  | "OAuthLinkedElsewhere"
  | "OAuthEmailUnverified"
  | "OAuthAccountExists"
  | "OAuthSignupClosed"
  | "OAuthThrottled";

export const REFUSAL_MESSAGES: Record<RefusalCode, string> = {
  OAuthLinkedElsewhere: "That account is already connected to another user of this server.",
  OAuthEmailUnverified:
    "The provider did not confirm an email address for that account; verify your email with it and try again.",
  OAuthAccountExists:
    "An account with that email already exists. Sign in with its password, then connect the provider under Account.",
  OAuthSignupClosed:
    "Sign-up is closed on this server, and that sign-in is not connected to an account. Ask the operator for an account.",
  OAuthThrottled: "Too many new accounts from this address. Wait a while and try again.",
};

/** The words for a refusal code from a query string (anyone can write one: unknown codes get none). */
export const refusalMessage = (code: string | undefined): string | undefined =>
  code && Object.hasOwn(REFUSAL_MESSAGES, code) ? REFUSAL_MESSAGES[code as RefusalCode] : undefined;

/**
 * The linking rules, kept pure so each case is tested on its own:
 * - an identity already linked signs in to its account (and only that one);
 * - a signed-in user connecting a provider from their settings links it, if
 *   the provider vouches for the email;
 * - otherwise a new account is made, but never over an existing account with
 *   the same email (that would hand the account to whoever controls the
 *   provider's email claim: "sign up as victim@corp, wait for their SSO").
 */
export function decideOAuthSignIn(input: {
  identity: OAuthIdentity;
  linkedUserId: string | null;
  connectingUserId: string | null;
  emailOwnerId: string | null;
}): OAuthDecision {
  const { identity, linkedUserId, connectingUserId, emailOwnerId } = input;
  const provider = providerName(identity.provider);
  if (linkedUserId) {
    if (connectingUserId && connectingUserId !== linkedUserId)
      return {
        action: "refuse",
        code: "OAuthLinkedElsewhere",
        reason: `This ${provider} account is already connected to another account.`,
      };
    return { action: "sign-in", userId: linkedUserId };
  }
  if (!identity.email || !identity.emailVerified)
    return {
      action: "refuse",
      code: "OAuthEmailUnverified",
      reason: `${provider} did not confirm an email address for this account; verify your email with ${provider} and try again.`,
    };
  if (connectingUserId) return { action: "link", userId: connectingUserId };
  if (emailOwnerId)
    return {
      action: "refuse",
      code: "OAuthAccountExists",
      reason: `An account with ${identity.email} already exists. Sign in with its password, then connect ${provider} under Account.`,
    };
  return { action: "create" };
}

export const providerName = (id: string) =>
  id === "github" ? "GitHub" : id === "oidc" ? "Single sign-on" : id;
