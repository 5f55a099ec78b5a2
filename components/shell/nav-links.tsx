"use client";
import {
  BellIcon,
  BotIcon,
  GaugeIcon,
  MenuIcon,
  KeyRoundIcon,
  LayersIcon,
  MessagesSquareIcon,
  WebhookIcon,
  ShieldCheckIcon,
  WrenchIcon,
} from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useApprovalCount } from "@/components/approvals/use-approvals";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { cn } from "@/lib/client/utils";

const LINKS = [
  { href: "/overview", label: "Overview", icon: GaugeIcon },
  { href: "/triggers", label: "Triggers", icon: WebhookIcon },
  { href: "/approvals", label: "Approvals", icon: ShieldCheckIcon },
  { href: "/conversations", label: "Conversations", icon: MessagesSquareIcon },
  { href: "/bots", label: "Bots", icon: BotIcon },
  { href: "/skillsets", label: "Skillsets", icon: WrenchIcon },
  { href: "/blueprints", label: "Blueprints", icon: LayersIcon },
  { href: "/notifications", label: "Notifications", icon: BellIcon },
  { href: "/tokens", label: "API tokens", icon: KeyRoundIcon },
];

const isActive = (pathname: string, href: string) =>
  pathname === href || pathname.startsWith(`${href}/`);

/** The side navigation, from md up. */
/** The number of calls waiting for a decision, next to "Approvals" (nothing when none wait). */
function WaitingCount({ href }: { href: string }) {
  const count = useApprovalCount();
  const n = count.data?.pending ?? 0;
  if (href !== "/approvals" || !n) return null;
  return (
    <Badge className="ml-auto" aria-label={`${n} waiting`}>
      {n}
    </Badge>
  );
}

export function NavLinks() {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="hidden flex-col gap-1 md:flex">
      {LINKS.map(({ href, label, icon: Icon }) => {
        const active = isActive(pathname, href);
        return (
          <Link
            key={href}
            href={href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "hover:bg-accent focus-visible:ring-ring flex items-center gap-2 rounded-md px-2 py-1.5 text-sm whitespace-nowrap focus-visible:ring-2 focus-visible:outline-none",
              active && "bg-accent font-medium",
            )}
          >
            <Icon className="size-4" aria-hidden />
            {label}
            <WaitingCount href={href} />
          </Link>
        );
      })}
    </nav>
  );
}

/** Below md: the same links behind one button, so the header fits a phone. */
export function NavMenu() {
  const pathname = usePathname();
  const current = LINKS.find(({ href }) => isActive(pathname, href));
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="sm" className="md:hidden">
          <MenuIcon aria-hidden />
          <span className="sr-only">Open navigation:</span>
          <span>{current?.label ?? "Menu"}</span>
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start">
        {LINKS.map(({ href, label, icon: Icon }) => (
          <DropdownMenuItem key={href} asChild>
            <Link href={href} aria-current={isActive(pathname, href) ? "page" : undefined}>
              <Icon aria-hidden />
              {label}
              <WaitingCount href={href} />
            </Link>
          </DropdownMenuItem>
        ))}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
