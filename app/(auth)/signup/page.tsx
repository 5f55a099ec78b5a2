import type { Metadata } from "next";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Create account" };

export const dynamic = "force-dynamic";

export default function SignUpPage() {
  return <SignUpForm allowed={env().ALLOW_SIGNUP} />;
}
