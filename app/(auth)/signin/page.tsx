import type { Metadata } from "next";
import { SignInForm } from "@/components/auth/sign-in-form";
import { oauthProviders } from "@/lib/auth";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string }>;
}) {
  const { callbackUrl } = await searchParams;
  return <SignInForm callbackUrl={callbackUrl ?? "/triggers"} providers={oauthProviders()} />;
}
