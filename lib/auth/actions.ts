"use server";
import { AuthError } from "next-auth";
import { signIn, signOut } from "./index";

export type SignInState = { error?: string; email?: string } | undefined;

export async function signInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  try {
    await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirectTo: safeRedirect(form.get("callbackUrl")),
    });
  } catch (error) {
    // React resets the form after an action; handing the email back keeps it filled in.
    if (error instanceof AuthError)
      return { error: "Wrong email or password.", email: String(form.get("email") ?? "") };
    throw error; // the redirect on success is thrown too
  }
}

export async function oauthSignInAction(form: FormData) {
  await signIn(String(form.get("provider")), { redirectTo: safeRedirect(form.get("callbackUrl")) });
}

export async function signOutAction() {
  await signOut({ redirectTo: "/signin" });
}

/** Only same-site paths: an open redirect would let a link send users anywhere after sign-in. */
function safeRedirect(value: FormDataEntryValue | null): string {
  const s = typeof value === "string" ? value : "";
  return s.startsWith("/") && !s.startsWith("//") ? s : "/triggers";
}
