import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { ApiError } from "@/lib/core/errors";
import { verifyPassword } from "./password";
import { checkPasswordThrottled } from "./throttle";
import { tooManyAttempts } from "./users";
import { now } from "@/lib/core/clock";

/** A session signed in this recently may do what otherwise needs the password again. */
export const REAUTH_WINDOW_MS = 10 * 60 * 1000;

/**
 * For what a stolen session or token must not do on its own (minting an API
 * token): a session that signed in within REAUTH_WINDOW_MS passes; anyone
 * else gives the account's password, checked under the sign-in throttle.
 */
export async function assertRecentAuth({
  userId,
  signedInAt,
  password,
  address,
}: {
  userId: string;
  signedInAt?: number;
  password?: string;
  address: string;
}) {
  if (signedInAt && now().getTime() - signedInAt < REAUTH_WINDOW_MS) return;
  const db = await getDb();
  const [user] = await db
    .select({ email: users.email, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId));
  const hash = user?.passwordHash;
  if (!user || !hash)
    throw new ApiError(
      "REAUTH_REQUIRED",
      "Sign in again to do this: it needs a sign-in within the last 10 minutes",
    );
  if (!password)
    throw new ApiError(
      "REAUTH_REQUIRED",
      "Enter your password to do this (not needed within 10 minutes of signing in)",
      { issues: [{ path: "password", message: "is required" }] },
    );
  const checked = await checkPasswordThrottled(address, user.email, () =>
    verifyPassword(hash, password),
  );
  if (typeof checked === "object") throw tooManyAttempts(checked.throttled);
  if (checked === "wrong")
    throw new ApiError("VALIDATION_ERROR", "Invalid body: password: is not your password", {
      issues: [{ path: "password", message: "is not your password" }],
    });
}
