"use server";
import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { clientAddress } from "@/lib/core/client-address";
import { ApiError } from "@/lib/core/errors";
import { z } from "zod";
import { auth, signIn, signOut } from "@/lib/auth";
import { setLinkIntent } from "./link-intent";
import { passwordSchema } from "./schema";
import { changePassword, endAllSessions } from "./users";

export type SignInState = { error?: string; email?: string } | undefined;

export async function signInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get("email") ?? "");
  try {
    await signIn("credentials", {
      email,
      password: String(form.get("password") ?? ""),
      redirectTo: safeRedirect(form.get("callbackUrl")),
    });
  } catch (error) {
    // React resets the form after an action; handing the email back keeps it filled in.
    if (error instanceof AuthError) {
      const throttled = (error as { code?: string }).code === "rate_limited";
      return {
        error: throttled
          ? "Too many failed sign-ins for this account or address. Wait a few minutes and try again."
          : "Wrong email or password.",
        email,
      };
    }
    throw error; // the redirect on success is thrown too
  }
}

export async function oauthSignInAction(form: FormData) {
  await signIn(String(form.get("provider")), { redirectTo: safeRedirect(form.get("callbackUrl")) });
}

/** Account page: link a provider to the signed-in account (see link-intent.ts). */
export async function connectProviderAction(form: FormData) {
  const session = await auth();
  if (!session?.user?.id) redirect("/signin");
  const provider = String(form.get("provider"));
  await setLinkIntent(session.user.id, provider);
  await signIn(provider, { redirectTo: "/account" });
}

export async function signOutAction() {
  await signOut({ redirectTo: "/signin" });
}

/** Ends every session of this account, this one included, and its API tokens unless kept. */
export async function signOutEverywhereAction(revokeTokens = true) {
  const session = await auth();
  if (session?.user?.id) await endAllSessions(session.user.id, { revokeTokens });
  await signOut({ redirectTo: "/signin" });
}

export type PasswordState = { error?: string; field?: string } | undefined;

const passwordForm = z.object({
  currentPassword: z.string().max(256),
  newPassword: passwordSchema,
});

/** A new password ends every other session; this one is signed in again with it. */
export async function changePasswordAction(
  _prev: PasswordState,
  form: FormData,
): Promise<PasswordState> {
  const session = await auth();
  if (!session?.user?.id) redirect("/signin");
  const parsed = passwordForm.safeParse({
    currentPassword: String(form.get("currentPassword") ?? ""),
    newPassword: String(form.get("newPassword") ?? ""),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { error: `New password ${issue.message}`, field: String(issue.path[0]) };
  }
  let email: string;
  try {
    ({ email } = await changePassword(
      session.user.id,
      parsed.data.currentPassword,
      parsed.data.newPassword,
      clientAddress(await headers()),
      { revokeTokens: form.get("revokeTokens") === "on" },
    ));
  } catch (error) {
    if (error instanceof ApiError && error.code === "RATE_LIMITED")
      return { error: error.message, field: "currentPassword" };
    if (error instanceof ApiError && error.code === "VALIDATION_ERROR")
      return {
        error: error.issues?.[0]?.message.startsWith("this account")
          ? "This account signs in through its provider and has no password to change."
          : "That is not your current password.",
        field: "currentPassword",
      };
    throw error;
  }
  try {
    await signIn("credentials", { email, password: parsed.data.newPassword, redirect: false });
  } catch (error) {
    // the password did change (and every session ended); only this browser's new session failed
    if (error instanceof AuthError) redirect("/signin?error=PasswordChanged");
    throw error;
  }
  // A fresh request carries the new session cookie; re-rendering this one would read the old one.
  redirect("/account?password=changed");
}

/** Only same-site paths: an open redirect would let a link send users anywhere after sign-in. */
function safeRedirect(value: FormDataEntryValue | null): string {
  const s = typeof value === "string" ? value : "";
  return s.startsWith("/") && !s.startsWith("//") && !s.startsWith("/\\") ? s : "/triggers";
}
