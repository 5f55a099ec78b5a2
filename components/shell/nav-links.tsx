"use client";
import {
  BotIcon,
  KeyRoundIcon,
  LayersIcon,
  MessagesSquareIcon,
  WebhookIcon,
  WrenchIcon,
} from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/utils";

const LINKS = [
  { href: "/triggers", label: "Triggers", icon: WebhookIcon },
  { href: "/conversations", label: "Conversations", icon: MessagesSquareIcon },
  { href: "/bots", label: "Bots", icon: BotIcon },
  { href: "/skillsets", label: "Skillsets", icon: WrenchIcon },
  { href: "/blueprints", label: "Blueprints", icon: LayersIcon },
  { href: "/tokens", label: "API tokens", icon: KeyRoundIcon },
];

export function NavLinks() {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex gap-1 overflow-x-auto md:flex-col">
      {LINKS.map(({ href, label, icon: Icon }) => {
        const active = pathname === href || pathname.startsWith(`${href}/`);
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
          </Link>
        );
      })}
    </nav>
  );
}
