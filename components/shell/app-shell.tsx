import { NavLinks, NavMenu } from "./nav-links";
import { ThemeToggle } from "./theme-toggle";
import { UserMenu } from "./user-menu";

export function AppShell({
  user,
  children,
}: {
  user: { email: string; name: string | null };
  children: React.ReactNode;
}) {
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      <aside className="bg-muted/30 flex shrink-0 flex-col gap-2 border-b p-3 md:w-56 md:border-r md:border-b-0">
        <div className="flex min-w-0 items-center justify-between gap-2 px-2 py-1">
          <span className="hidden font-semibold md:inline">Triggers</span>
          <NavMenu />
          <div className="flex min-w-0 items-center gap-1 md:hidden">
            <ThemeToggle />
            <UserMenu user={user} />
          </div>
        </div>
        <NavLinks />
        <div className="mt-auto hidden items-center justify-between md:flex">
          <UserMenu user={user} />
          <ThemeToggle />
        </div>
      </aside>
      <main className="min-w-0 flex-1 p-4 md:p-8">{children}</main>
    </div>
  );
}
