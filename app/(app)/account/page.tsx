import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AccountView } from "@/components/account/account-view";
import { auth, oauthProviders } from "@/lib/auth";
import { refusalMessage } from "@/lib/auth/linking";
import { linkedAccounts } from "@/lib/auth/users";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage({
  searchParams,
}: {
  searchParams: Promise<{ error?: string; connected?: string; password?: string }>;
}) {
  const session = await auth();
  if (!session?.user?.id) redirect("/signin");
  const { error, connected, password } = await searchParams;
  const linked = await linkedAccounts(session.user.id);
  return (
    <AccountView
      email={session.user.email}
      providers={oauthProviders().map((p) => ({
        ...p,
        linkedEmail: linked.find((l) => l.provider === p.id)?.email ?? null,
        linked: linked.some((l) => l.provider === p.id),
      }))}
      notice={
        error
          ? { kind: "error", text: refusalMessage(error) ?? "Could not connect." }
          : connected
            ? { kind: "ok", text: "Connected." }
            : password === "changed"
              ? { kind: "ok", text: "Password changed. Every other session was signed out." }
              : null
      }
    />
  );
}
