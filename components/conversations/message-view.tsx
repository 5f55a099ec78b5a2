"use client";
import { BotIcon, UserIcon, WrenchIcon } from "lucide-react";
import { JsonBlock } from "@/components/common/json-view";
import { RelativeTime } from "@/components/common/relative-time";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/client/utils";
import type { Message } from "./use-conversations";

function Json({ value, label }: { value: unknown; label: string }) {
  if (value === null || value === undefined) return null;
  return (
    <details className="mt-1">
      <summary className="text-muted-foreground cursor-pointer text-xs">{label}</summary>
      <JsonBlock value={value} label={label} className="mt-1" />
    </details>
  );
}

/** The data the bot read with the message: the event's headers (a fixed, safe set) and payload. */
function EventCard({ meta }: { meta: Message["meta"] }) {
  const headers = (meta.headers ?? {}) as Record<string, string>;
  const names = Object.keys(headers);
  if (
    !names.length &&
    (meta.payload === null || meta.payload === undefined) &&
    !meta.payloadDeleted
  )
    return null;
  return (
    <details className="mt-1" data-testid="event-card">
      <summary className="text-muted-foreground cursor-pointer text-xs">
        Event data the bot read
      </summary>
      <div className="bg-muted mt-1 rounded p-2 text-xs">
        {names.length > 0 && (
          <dl className="mb-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5">
            {names.map((n) => (
              <div key={n} className="contents">
                <dt className="text-muted-foreground font-mono">{n}</dt>
                <dd className="font-mono break-all">{headers[n]}</dd>
              </div>
            ))}
          </dl>
        )}
        {meta.payloadDeleted ? (
          <p className="text-muted-foreground">
            The payload was deleted with its event (EVENT_RETENTION_DAYS).
          </p>
        ) : (
          <JsonBlock value={meta.payload} label="Payload" empty="(no payload)" className="p-0" />
        )}
      </div>
    </details>
  );
}

export function MessageView({ message }: { message: Message }) {
  const m = message.meta;
  if (message.type === "user") {
    const contact = m.contact as { name?: string; email?: string; phone?: string } | null;
    return (
      <li className="flex gap-3" data-testid="message-user">
        <UserIcon className="text-muted-foreground mt-1 size-4 shrink-0" aria-label="Event" />
        <div className="min-w-0 flex-1">
          <div className="text-muted-foreground flex flex-wrap items-center gap-2 text-xs">
            <Badge variant="outline">{String(m.kind ?? "event")}</Badge>
            {typeof m.contentType === "string" && <span>{m.contentType}</span>}
            {typeof m.session === "string" && <span>session {m.session}</span>}
            {contact && (
              <span>
                contact {contact.name ?? ""} {contact.email ?? contact.phone ?? ""}
              </span>
            )}
            <RelativeTime value={message.createdAt} />
          </div>
          <p className="mt-1 text-sm break-words whitespace-pre-wrap">{message.text}</p>
          <EventCard meta={m} />
        </div>
      </li>
    );
  }
  if (message.type === "activity") {
    const failed = Boolean(m.error);
    return (
      <li className="flex gap-3" data-testid="message-activity">
        <WrenchIcon
          className={cn(
            "mt-1 size-4 shrink-0",
            failed ? "text-destructive" : "text-muted-foreground",
          )}
          aria-label="Activity"
        />
        <div className="min-w-0 flex-1 text-sm">
          <div className="flex flex-wrap items-center gap-2">
            <span className={cn("font-medium", failed && "text-destructive")}>
              {typeof m.tool === "string" ? m.tool : "activity"}
            </span>
            {typeof m.durationMs === "number" && (
              <span className="text-muted-foreground text-xs">{m.durationMs} ms</span>
            )}
          </div>
          <p
            className={cn(
              "break-words whitespace-pre-wrap",
              failed ? "text-destructive" : "text-muted-foreground",
            )}
          >
            {failed ? String(m.error) : message.text}
          </p>
          <Json value={m.input} label="Input" />
          <Json value={m.output} label="Output" />
        </div>
      </li>
    );
  }
  return (
    <li className="flex gap-3" data-testid="message-bot">
      <BotIcon className="text-muted-foreground mt-1 size-4 shrink-0" aria-label="Bot" />
      <div className="min-w-0 flex-1">
        <p className="text-sm break-words whitespace-pre-wrap">{message.text}</p>
        {typeof m.model === "string" && (
          <p className="text-muted-foreground text-xs">
            {m.model === "echo" ? "echo (offline model, no LLM)" : m.model}
          </p>
        )}
      </div>
    </li>
  );
}
