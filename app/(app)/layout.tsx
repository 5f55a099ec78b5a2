import { redirect } from "next/navigation";
import { AppShell } from "@/components/shell/app-shell";
import { auth } from "@/lib/auth";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const session = await auth();
  if (!session?.user?.id) redirect("/signin");
  return (
    <AppShell user={{ email: session.user.email, name: session.user.name ?? null }}>
      {children}
    </AppShell>
  );
}
