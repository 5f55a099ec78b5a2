"use client";
import Link from "next/link";
import { RelativeTime } from "@/components/common/relative-time";
import { DetailPage } from "@/components/common/detail-page";
import { Card } from "@/components/ui/card";
import { Messages, sessionLabel } from "./conversation-log";
import { useConversation } from "./use-conversations";

/** One conversation at its own URL, read as a chat: each event's data card, the message, tool activity, the reply. */
export function ConversationTranscript({ id }: { id: string }) {
  const conversation = useConversation(id);
  return (
    <DetailPage back={{ href: "/conversations", label: "Conversations" }} query={conversation}>
      {(c) => (
        <>
          <div>
            <h1 className="text-2xl font-semibold tracking-tight break-words">
              {c.name ?? "Conversation"}
            </h1>
            <p className="text-muted-foreground mt-1 flex flex-wrap gap-x-3 text-sm">
              {c.sessionKey && <span>{sessionLabel(c.sessionKey)}</span>}
              {c.triggerId && (
                <Link className="underline" href={`/triggers/${c.triggerId}`}>
                  Trigger
                </Link>
              )}
              <span>
                Last activity <RelativeTime value={c.lastActivityAt} />
              </span>
              <span data-testid="conversation-tokens">
                {(c.usage.inputTokens + c.usage.outputTokens).toLocaleString()} tokens (
                {c.usage.inputTokens.toLocaleString()} in, {c.usage.outputTokens.toLocaleString()}{" "}
                out)
              </span>
            </p>
          </div>
          <Card>
            <Messages conversationId={c.id} live={false} />
          </Card>
        </>
      )}
    </DetailPage>
  );
}
