"use client";
import { MessagesSquareIcon } from "lucide-react";
import Link from "next/link";
import { CopyButton } from "@/components/common/copy-button";
import { ApprovalCard } from "@/components/approvals/approval-card";
import { DetailPage } from "@/components/common/detail-page";
import { formatJson, JsonBlock, PayloadView } from "@/components/common/json-view";
import { StatusBadge } from "@/components/common/status-badge";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { TryChange } from "@/components/dry-runs/try-change";
import { EventActions } from "./event-actions";
import type { EventDetail, EventStep } from "./types";
import { useEventDetail } from "./use-triggers";

/** Milliseconds after the event arrived, as "+120 ms" / "+1.4 s". */
function since(start: string | null, at: string | null) {
  if (!start || !at) return null;
  const ms = Date.parse(at) - Date.parse(start);
  return ms < 1000 ? `+${ms} ms` : `+${(ms / 1000).toFixed(1)} s`;
}

/**
 * One event: what arrived (kept headers, payload), each attempt's outcome, and
 * the run as a timeline of what was recorded (the message the bot read, each
 * tool call with input, output, duration and error, the reply).
 */
export function EventInspector({ triggerId, eventId }: { triggerId: string; eventId: string }) {
  const event = useEventDetail(triggerId, eventId);
  return (
    <DetailPage back={{ href: `/triggers/${triggerId}?tab=events`, label: "Events" }} query={event}>
      {(e) => <EventDetailView triggerId={triggerId} event={e} />}
    </DetailPage>
  );
}

function EventDetailView({ triggerId, event: e }: { triggerId: string; event: EventDetail }) {
  const running = e.status === "queued" || e.status === "processing" || e.status === "batched";
  return (
    <>
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight">Event</h1>
          <p className="text-muted-foreground font-mono text-xs break-all">{e.id}</p>
          <div className="mt-2 flex flex-wrap gap-2">
            <StatusBadge status={e.status} />
            <Badge variant="outline">{e.kind}</Badge>
            {e.replayOf && <Badge variant="outline">replay of {e.replayOf}</Badge>}
          </div>
        </div>
        <div className="flex flex-wrap gap-2">
          {e.conversationId && (
            <Button variant="outline" size="sm" asChild>
              <Link href={`/conversations/${e.conversationId}`}>
                <MessagesSquareIcon aria-hidden /> Open conversation
              </Link>
            </Button>
          )}
          <EventActions triggerId={triggerId} event={e} />
        </div>
      </div>

      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <Received event={e} />
        <Card>
          <CardTitle>Attempts</CardTitle>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            <dt className="text-muted-foreground">Attempts</dt>
            <dd>{e.attempts}</dd>
            <dt className="text-muted-foreground">Latency</dt>
            <dd>{e.latencyMs === null ? "—" : `${e.latencyMs} ms`}</dd>
            <dt className="text-muted-foreground">Tokens</dt>
            <dd data-testid="event-tokens">
              {e.inputTokens === null && e.outputTokens === null
                ? "—"
                : `${(e.inputTokens ?? 0) + (e.outputTokens ?? 0)} (${e.inputTokens ?? 0} in, ${e.outputTokens ?? 0} out)`}
            </dd>
            <dt className="text-muted-foreground">Last error</dt>
            <dd className="text-destructive break-words" data-testid="event-error">
              {e.error ?? <span className="text-muted-foreground">none</span>}
            </dd>
          </dl>
        </Card>
      </div>

      {e.batch && <BatchCard triggerId={triggerId} event={e} />}

      {e.approvals.length > 0 && (
        <Card>
          <CardTitle>Approvals</CardTitle>
          <div className="flex flex-col gap-3">
            {e.approvals.map((a) => (
              <ApprovalCard key={a.id} approval={a} />
            ))}
          </div>
        </Card>
      )}

      <Card>
        <div className="flex items-center justify-between gap-2">
          <CardTitle>Payload</CardTitle>
          <CopyButton value={formatJson(e.payload)} label="Copy payload" />
        </div>
        <PayloadView payload={e.payload} contentType={e.contentType} open className="max-h-96" />
      </Card>

      <Card>
        <CardTitle>Run</CardTitle>
        <ol aria-label="Run timeline" className="flex flex-col gap-3 border-l pl-4">
          <TimelineItem label="Received" at={since(e.createdAt, e.createdAt)} />
          {e.startedAt && <TimelineItem label="Claimed" at={since(e.createdAt, e.startedAt)} />}
          {timeline(e.steps).map((entry) =>
            entry.call ? (
              <TimelineItem
                key={`model-${entry.n}`}
                label={`Model call ${entry.n}`}
                at={`${since(e.createdAt, entry.call.startedAt)}, answered in ${entry.call.durationMs} ms${tokens(entry.call)}`}
              />
            ) : (
              <Step key={entry.step.id} step={entry.step} start={e.createdAt} />
            ),
          )}
          {e.completedAt && (
            <TimelineItem label={`Finished: ${e.status}`} at={since(e.createdAt, e.completedAt)} />
          )}
          {running && (
            <TimelineItem
              label={
                e.status === "queued"
                  ? e.runAfter
                    ? `Held for its batch until ${new Date(e.runAfter).toLocaleTimeString()}`
                    : "Waiting to run"
                  : e.status === "batched"
                    ? "In another event's run"
                    : "Running"
              }
            />
          )}
          {e.status === "waiting" && <TimelineItem label="Waiting for a decision" />}
        </ol>
      </Card>

      <TryChange triggerId={triggerId} eventId={e.id} />
    </>
  );
}

function Received({ event: e }: { event: EventDetail }) {
  const headers = Object.entries(e.headers);
  const cloudEvent = e.cloudEvent ? Object.entries(e.cloudEvent) : [];
  return (
    <Card>
      <CardTitle>Received</CardTitle>
      <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-2 text-sm">
        <dt className="text-muted-foreground">At</dt>
        <dd>{e.createdAt ? new Date(e.createdAt).toLocaleString() : "—"}</dd>
        <dt className="text-muted-foreground">Session</dt>
        <dd className="break-all">{e.sessionKey ?? "—"}</dd>
        {e.contact && (
          <>
            <dt className="text-muted-foreground">Contact</dt>
            <dd className="break-all">
              {[e.contact.name, e.contact.email, e.contact.phone].filter(Boolean).join(", ")}
            </dd>
          </>
        )}
        {e.idempotencyKey && (
          <>
            <dt className="text-muted-foreground">Idempotency key</dt>
            <dd className="font-mono text-xs break-all">{e.idempotencyKey}</dd>
          </>
        )}
      </dl>
      {cloudEvent.length > 0 && (
        <>
          <h3 className="text-sm font-medium">CloudEvent</h3>
          <NameValues label="CloudEvent attributes" entries={cloudEvent} />
        </>
      )}
      <h3 className="text-sm font-medium">Headers kept</h3>
      {headers.length ? (
        <NameValues label="Headers" entries={headers} />
      ) : (
        <p className="text-muted-foreground text-sm">
          None (signatures and credentials are never kept).
        </p>
      )}
    </Card>
  );
}

/** The run it was part of: its events, and what the one run cost for all of them. */
function BatchCard({ triggerId, event: e }: { triggerId: string; event: EventDetail }) {
  const batch = e.batch!;
  const lead = batch.id === e.id;
  const total = (e.inputTokens ?? 0) + (e.outputTokens ?? 0);
  return (
    <Card>
      <CardTitle>Batch</CardTitle>
      <p className="text-sm">
        {lead
          ? `This event's run handled ${batch.size} events: the model read them together and answered once.`
          : "This event was handled in another event's run, with the others below; the run's steps and tokens are on that event."}
      </p>
      {lead && e.inputTokens !== null && (
        <p className="text-muted-foreground text-sm" data-testid="batch-tokens">
          {total} tokens for the run: about {Math.round(total / batch.size)} per event.
        </p>
      )}
      <ol aria-label="Events of the run" className="flex flex-col gap-1 text-sm">
        {batch.events.map((b) => (
          <li key={b.id} className="flex flex-wrap items-center gap-2">
            <StatusBadge status={b.status} />
            {b.id === e.id ? (
              <span className="font-mono text-xs">{b.id} (this event)</span>
            ) : (
              <Link
                className="font-mono text-xs underline"
                href={`/triggers/${triggerId}/events/${b.id}`}
              >
                {b.id}
              </Link>
            )}
            {b.id === batch.id && <Badge variant="outline">ran it</Badge>}
          </li>
        ))}
      </ol>
    </Card>
  );
}

function NameValues({ label, entries }: { label: string; entries: [string, unknown][] }) {
  return (
    <dl aria-label={label} className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1 text-xs">
      {entries.map(([name, value]) => (
        <div key={name} className="contents">
          <dt className="text-muted-foreground font-mono">{name}</dt>
          <dd className="font-mono break-all">
            {typeof value === "string" ? value : JSON.stringify(value)}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function TimelineItem({
  label,
  at,
  children,
}: {
  label: string;
  at?: string | null;
  children?: React.ReactNode;
}) {
  return (
    <li className="flex min-w-0 flex-col gap-1">
      <div className="flex flex-wrap items-baseline gap-2">
        <span className="text-sm font-medium">{label}</span>
        {at && <span className="text-muted-foreground text-xs">{at}</span>}
      </div>
      {children}
    </li>
  );
}

const Block = ({ label, value }: { label: string; value: unknown }) => (
  <div className="min-w-0">
    <p className="text-muted-foreground text-xs">{label}</p>
    <JsonBlock value={value} label={label} className="max-h-60" />
  </div>
);

type ModelCall = {
  startedAt: string;
  durationMs: number;
  inputTokens: number | null;
  outputTokens: number | null;
};
type Entry =
  | { call: ModelCall; n: number; at: number; rank: number; step?: undefined }
  | { step: EventStep; at: number; rank: number; call?: undefined };

const RANK = { user: 0, activity: 2, bot: 3 } as const;

/** The recorded steps with the model calls (kept on the reply) put in between, by time. */
function timeline(steps: EventStep[]): Entry[] {
  const calls = steps.flatMap(
    (s) => ((s.meta as { modelCalls?: ModelCall[] }).modelCalls ?? []) as ModelCall[],
  );
  const entries: Entry[] = [
    ...steps.map((step) => ({ step, at: Date.parse(step.createdAt ?? ""), rank: RANK[step.type] })),
    // on a tie in the same millisecond: the first call follows the message, a later one the tools
    ...calls.map((call, i) => ({
      call,
      n: i + 1,
      at: Date.parse(call.startedAt),
      rank: i === 0 ? 1 : 2.5,
    })),
  ];
  return entries.sort((a, b) => a.at - b.at || a.rank - b.rank);
}

const tokens = (call: ModelCall) =>
  call.inputTokens === null && call.outputTokens === null
    ? ""
    : `, ${call.inputTokens ?? "?"} tokens in, ${call.outputTokens ?? "?"} out`;

/** An HTTP ability's recorded output with its JSON body shown as JSON, not as an escaped string. */
function readable(output: unknown) {
  if (!output || typeof output !== "object" || !("body" in output)) return output;
  const { body } = output as { body: unknown };
  if (typeof body !== "string") return output;
  try {
    return { ...output, body: JSON.parse(body) };
  } catch {
    return output;
  }
}

function Step({ step, start }: { step: EventStep; start: string | null }) {
  const at = since(start, step.createdAt);
  const meta = step.meta as {
    tool?: string;
    input?: unknown;
    output?: unknown;
    error?: string | null;
    durationMs?: number;
  };
  if (step.type === "activity" && meta.tool)
    return (
      <TimelineItem
        label={`Tool call: ${meta.tool}${meta.error ? " (failed)" : ""}`}
        at={`${at}${meta.durationMs === undefined ? "" : `, took ${meta.durationMs} ms`}`}
      >
        <div className="grid grid-cols-1 gap-2 md:grid-cols-2">
          <Block label="Input" value={meta.input} />
          {meta.error ? (
            <Block label="Error" value={meta.error} />
          ) : (
            <Block label="Output" value={readable(meta.output)} />
          )}
        </div>
      </TimelineItem>
    );
  const label =
    step.type === "user" ? "Message to the bot" : step.type === "bot" ? "Reply" : "Activity";
  return (
    <TimelineItem label={label} at={at}>
      <p className="text-sm break-words whitespace-pre-wrap">{step.text}</p>
    </TimelineItem>
  );
}
