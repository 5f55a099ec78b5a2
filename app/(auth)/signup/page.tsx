import type { Metadata } from "next";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { signUpOpen } from "@/lib/auth/users";

export const metadata: Metadata = { title: "Create account" };

export const dynamic = "force-dynamic";

export default async function SignUpPage() {
  return <SignUpForm allowed={await signUpOpen()} />;
}
