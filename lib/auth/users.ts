import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { userAccounts, users, type User } from "@/db/schema";
import { ApiError } from "@/lib/core/errors";
import { env } from "@/lib/core/env";
import { newId } from "@/lib/core/ids";
import { revokeAllTokens } from "@/lib/api-tokens";
import { decideOAuthSignIn, type OAuthIdentity, type RefusalCode } from "./linking";
import { hashPassword, verifyPassword } from "./password";
import { checkPasswordThrottled, signUpBuckets, takeBuckets } from "./throttle";

export async function createUser(input: { email: string; password?: string; name?: string }) {
  const db = await getDb();
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  const [row] = await db
    .insert(users)
    .values({
      id: newId("user"),
      email: input.email.toLowerCase(),
      name: input.name ?? null,
      passwordHash,
    })
    .onConflictDoNothing({ target: users.email })
    .returning();
  if (!row) throw new ApiError("CONFLICT", "An account with this email already exists");
  return row;
}

/** Whether this server takes new accounts: ALLOW_SIGNUP, or nobody has an account yet. */
export async function signUpOpen(): Promise<boolean> {
  if (env().ALLOW_SIGNUP) return true;
  const db = await getDb();
  const [row] = await db.select({ id: users.id }).from(users).limit(1);
  return !row;
}

/** POST /api/auth/signup: throttled per address and per email, closed unless open or the install is empty. */
export async function signUp(
  input: { email: string; password: string; name?: string },
  clientAddress: string,
) {
  const throttled = await takeBuckets(signUpBuckets(clientAddress, input.email));
  if (!throttled.ok) throw tooManyAttempts(throttled.retryAfterSeconds);
  if (!(await signUpOpen()))
    throw new ApiError(
      "FORBIDDEN",
      "Sign-up is closed on this server (ALLOW_SIGNUP=false); ask its operator for an account",
    );
  return createUser(input);
}

export const tooManyAttempts = (retryAfterSeconds: number) =>
  new ApiError("RATE_LIMITED", `Too many attempts; try again in ${retryAfterSeconds} s`, {
    headers: { "Retry-After": String(retryAfterSeconds) },
  });

// Verified against when the email is unknown, so that answer takes as long as a wrong password.
let dummyHash: Promise<string> | undefined;

/** Returns the user when the password matches; the same answer, in the same time, for unknown email and wrong password. */
export async function authenticateUser(email: string, password: string): Promise<User | null> {
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
  if (!user?.passwordHash) {
    dummyHash ??= hashPassword("not-a-real-password-only-for-timing");
    await verifyPassword(await dummyHash, password);
    return null;
  }
  return (await verifyPassword(user.passwordHash, password)) ? user : null;
}

/**
 * An external sign-in: the user linked to (provider, subject), or the user who
 * is connecting it from their settings, or a new account. Never an existing
 * account merely because the emails match (see ./linking.ts for the rules).
 */
export async function resolveOAuthUser(
  identity: OAuthIdentity,
  connectingUserId: string | null,
  clientAddress: string,
) {
  const db = await getDb();
  const [linked] = await db
    .select({ userId: userAccounts.userId })
    .from(userAccounts)
    .where(
      and(
        eq(userAccounts.provider, identity.provider),
        eq(userAccounts.providerAccountId, identity.subject),
      ),
    );
  const email = identity.email?.toLowerCase() ?? null;
  const [owner] = email
    ? await db.select({ id: users.id }).from(users).where(eq(users.email, email))
    : [];
  const decision = decideOAuthSignIn({
    identity,
    linkedUserId: linked?.userId ?? null,
    connectingUserId,
    emailOwnerId: owner?.id ?? null,
  });
  if (decision.action === "refuse") {
    // with sign-up closed, a taken email and a free one get the same answer: no account oracle
    if (decision.code === "OAuthAccountExists" && !(await signUpOpen()))
      throw new OAuthRefusedError("OAuthSignupClosed", "Sign-up is closed on this server");
    throw new OAuthRefusedError(decision.code, decision.reason);
  }
  if (decision.action === "sign-in") return decision.userId;
  let userId: string;
  if (decision.action === "link") userId = decision.userId;
  else {
    // a new account through a provider is a sign-up like any other: open, throttled
    if (!(await signUpOpen()))
      throw new OAuthRefusedError("OAuthSignupClosed", "Sign-up is closed on this server");
    const throttled = await takeBuckets(signUpBuckets(clientAddress, email!));
    if (!throttled.ok) throw new OAuthRefusedError("OAuthThrottled", "Too many sign-ups");
    try {
      userId = (await createUser({ email: email!, name: identity.name ?? undefined })).id;
    } catch (error) {
      // the same email was taken a moment ago (a parallel sign-up): never attach to it
      if (error instanceof ApiError && error.code === "CONFLICT")
        throw new OAuthRefusedError("OAuthAccountExists", "An account with this email exists");
      throw error;
    }
  }
  const [link] = await db
    .insert(userAccounts)
    .values({ provider: identity.provider, providerAccountId: identity.subject, userId, email })
    .onConflictDoNothing()
    .returning({ userId: userAccounts.userId });
  if (!link) {
    // linked a moment ago by a parallel sign-in: only the same user may go on
    const now = await userForAccount(identity.provider, identity.subject);
    if (now?.id !== userId)
      throw new OAuthRefusedError("OAuthLinkedElsewhere", "Linked to another account");
  }
  return userId;
}

export class OAuthRefusedError extends Error {
  constructor(
    readonly code: RefusalCode,
    reason: string,
  ) {
    super(reason);
  }
}

/** The user an external identity is linked to. */
export async function userForAccount(provider: string, subject: string) {
  const db = await getDb();
  const [row] = await db
    .select({ id: users.id })
    .from(userAccounts)
    .innerJoin(users, eq(users.id, userAccounts.userId))
    .where(and(eq(userAccounts.provider, provider), eq(userAccounts.providerAccountId, subject)));
  return row ?? null;
}

/** The external sign-ins connected to an account. */
export async function linkedAccounts(userId: string) {
  const db = await getDb();
  return db
    .select({ provider: userAccounts.provider, email: userAccounts.email })
    .from(userAccounts)
    .where(eq(userAccounts.userId, userId));
}

/** The version a session must carry to stay valid; null when the user is gone. */
export async function currentSessionVersion(userId: string): Promise<number | null> {
  const db = await getDb();
  const [row] = await db
    .select({ v: users.sessionVersion })
    .from(users)
    .where(eq(users.id, userId));
  return row ? row.v : null;
}

/**
 * Ends every session of the user (each carries the old version) and, unless
 * the user chose to keep them, revokes their API tokens: a token is a session
 * that never expires, and "sign out everywhere" after a leak must reach it too.
 */
export async function endAllSessions(
  userId: string,
  { revokeTokens = true }: { revokeTokens?: boolean } = {},
): Promise<number> {
  const db = await getDb();
  if (revokeTokens) await revokeAllTokens(userId);
  const [row] = await db
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, userId))
    .returning({ v: users.sessionVersion });
  return row.v;
}

/**
 * A new password ends every session; the caller signs the current one in
 * again. The current password is required (and its check throttled like a
 * sign-in), so a stolen session cannot take the account over.
 */
export async function changePassword(
  userId: string,
  current: string,
  next: string,
  clientAddress: string,
  { revokeTokens = true }: { revokeTokens?: boolean } = {},
) {
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) throw new ApiError("NOT_FOUND", "Account not found");
  if (!user.passwordHash) {
    throw new ApiError(
      "VALIDATION_ERROR",
      "Invalid body: currentPassword: this account signs in through its provider and has no password",
      { issues: [{ path: "currentPassword", message: "this account has no password to change" }] },
    );
  }
  const hash = user.passwordHash;
  const checked = await checkPasswordThrottled(clientAddress, user.email, () =>
    verifyPassword(hash, current),
  );
  if (typeof checked === "object") throw tooManyAttempts(checked.throttled);
  if (checked === "wrong") {
    throw new ApiError("VALIDATION_ERROR", "Invalid body: currentPassword: is not your password", {
      issues: [{ path: "currentPassword", message: "is not your current password" }],
    });
  }
  if (revokeTokens) await revokeAllTokens(userId);
  await db
    .update(users)
    .set({
      passwordHash: await hashPassword(next),
      sessionVersion: sql`${users.sessionVersion} + 1`,
    })
    .where(eq(users.id, userId));
  return { email: user.email };
}
