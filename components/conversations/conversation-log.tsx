"use client";
import { ChevronRightIcon } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { ListBody, morePages } from "@/components/common/list";
import { RelativeTime } from "@/components/common/relative-time";
import { EmptyState, ErrorState } from "@/components/common/states";
import { StatusBadge } from "@/components/common/status-badge";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { cn } from "@/lib/client/utils";
import { MessageView } from "./message-view";
import { useConversations, useMessages, type Conversation } from "./use-conversations";

/** Conversations newest first, each expanding to its messages; polls while live. */
export function ConversationLog({
  filters,
  live = false,
  showTrigger = false,
  emptyText,
}: {
  filters: { triggerId?: string; botId?: string };
  live?: boolean;
  showTrigger?: boolean;
  emptyText: string;
}) {
  const conversations = useConversations(filters, live);
  return (
    <ListBody
      state={conversations}
      items={conversations.data?.pages.flatMap((p) => p.items)}
      more={morePages(conversations, "conversations")}
      empty={<EmptyState title="No conversations yet">{emptyText}</EmptyState>}
    >
      {(items) => (
        <ul className="flex flex-col gap-2" aria-label="Conversations">
          {items.map((c) => (
            <ConversationItem key={c.id} conversation={c} live={live} showTrigger={showTrigger} />
          ))}
        </ul>
      )}
    </ListBody>
  );
}

const RUN_KIND = { invoke: "manual run", schedule: "scheduled run" } as const;

function ConversationItem({
  conversation: c,
  live,
  showTrigger,
}: {
  conversation: Conversation;
  live: boolean;
  showTrigger: boolean;
}) {
  const [open, setOpen] = useState(false);
  const event = c.latestEvent;
  const who = c.contact && [c.contact.name, c.contact.email, c.contact.phone].find(Boolean);
  return (
    <li className="rounded-lg border" data-testid="conversation">
      <div className="flex items-start gap-1">
        <button
          type="button"
          aria-expanded={open}
          onClick={() => setOpen((o) => !o)}
          className="hover:bg-muted/50 focus-visible:ring-ring flex min-w-0 flex-1 items-start gap-3 p-3 text-left text-sm focus-visible:ring-2 focus-visible:outline-none"
        >
          <ChevronRightIcon
            className={cn("mt-0.5 size-4 shrink-0 transition-transform", open && "rotate-90")}
            aria-hidden
          />
          <span className="flex min-w-0 flex-1 flex-col gap-1">
            <span className="flex min-w-0 flex-wrap items-center gap-x-2 gap-y-1">
              <span className="truncate font-medium">{c.name ?? "Conversation"}</span>
              {c.sessionKey && (
                <span className="text-muted-foreground">{sessionLabel(c.sessionKey)}</span>
              )}
              {event && event.kind !== "event" && (
                <Badge variant="outline">{RUN_KIND[event.kind]}</Badge>
              )}
              {event && <StatusBadge status={event.status} />}
            </span>
            {c.lastMessage && (
              <span className="text-muted-foreground truncate text-xs">
                {c.lastMessage.type === "bot" ? "Bot: " : ""}
                {c.lastMessage.text}
              </span>
            )}
            <span className="text-muted-foreground text-xs">
              {c.messageCount} message{c.messageCount === 1 ? "" : "s"}
              {who ? ` · ${who}` : ""}
            </span>
          </span>
          <span className="text-muted-foreground shrink-0 text-xs">
            <RelativeTime value={c.lastActivityAt} />
          </span>
        </button>
        <Button variant="ghost" size="sm" className="m-2" asChild>
          <Link href={`/conversations/${c.id}`} aria-label={`Open conversation ${c.name ?? c.id}`}>
            Open
          </Link>
        </Button>
      </div>
      {open && (
        <div className="border-t p-3">
          {showTrigger && c.triggerId && (
            <p className="text-muted-foreground mb-2 text-xs">
              Trigger{" "}
              <Link className="underline" href={`/triggers/${c.triggerId}`}>
                {c.triggerId}
              </Link>
            </p>
          )}
          <Messages conversationId={c.id} live={live} />
        </div>
      )}
    </li>
  );
}

/** A conversation's messages as a chat, oldest first; polls while live. */
export function Messages({ conversationId, live }: { conversationId: string; live: boolean }) {
  const messages = useMessages(conversationId, live);
  if (messages.isPending) return <Skeleton className="h-16" />;
  if (messages.isError)
    return <ErrorState error={messages.error} onRetry={() => messages.refetch()} />;
  const items = messages.data.pages.flatMap((p) => p.items);
  return (
    <>
      <ol className="flex flex-col gap-3" aria-label="Messages">
        {items.map((m) => (
          <MessageView key={m.id} message={m} />
        ))}
      </ol>
      {messages.hasNextPage && (
        <button
          type="button"
          className="mt-2 text-xs underline"
          onClick={() => messages.fetchNextPage()}
        >
          Load more messages
        </button>
      )}
    </>
  );
}

/** "session:abc" -> "session abc", "contact:email:a@b" -> "contact a@b", "trigger" -> "schedule & manual runs". */
export function sessionLabel(key: string) {
  if (key === "trigger") return "schedule & manual runs";
  if (key.startsWith("session:")) return `session ${key.slice(8)}`;
  if (key.startsWith("contact:")) return `contact ${key.split(":").slice(2).join(":")}`;
  return key;
}
