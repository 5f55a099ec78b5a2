import type { Metadata } from "next";
import { SignInForm } from "@/components/auth/sign-in-form";
import { oauthProviders } from "@/lib/auth";
import { refusalMessage } from "@/lib/auth/linking";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string }>;
}) {
  const { callbackUrl, error } = await searchParams;
  // Only known codes become words: the query string is anyone's to write.
  const notice = error
    ? (refusalMessage(error) ??
      (error === "CredentialsSignin"
        ? "Wrong email or password."
        : error === "PasswordChanged"
          ? "Your password was changed and every session ended. Sign in with the new password."
          : "Sign-in failed. Try again."))
    : undefined;
  return (
    <SignInForm
      callbackUrl={callbackUrl ?? "/triggers"}
      providers={oauthProviders()}
      notice={notice}
    />
  );
}
