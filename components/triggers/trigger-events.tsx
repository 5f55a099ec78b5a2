"use client";
import { RotateCcwIcon, SearchIcon, XIcon } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { LoadMore } from "@/components/common/load-more";
import { RelativeTime } from "@/components/common/relative-time";
import { EmptyState, ErrorState, ListSkeleton } from "@/components/common/states";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import type { Trigger, TriggerEvent } from "./types";
import { useCancelEvent, useReplayAll, useReplayEvent, useTriggerEvents } from "./use-triggers";

export const STATUS_VARIANT = {
  queued: "outline",
  processing: "secondary",
  completed: "success",
  failed: "destructive",
  cancelled: "outline",
  filtered: "outline",
} as const;

export function TriggerEvents({ trigger }: { trigger: Trigger }) {
  const [status, setStatus] = useState("all");
  const events = useTriggerEvents(trigger.id, status === "all" ? undefined : status);
  const replayAll = useReplayAll(trigger.id);
  const items = events.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-muted-foreground text-sm" data-testid="rejected-count">
          {trigger.rejectedCount} request{trigger.rejectedCount === 1 ? "" : "s"} rejected by the
          rate limit
        </p>
        <Label htmlFor="filter-status" className="sr-only">
          Filter events by status
        </Label>
        <Select value={status} onValueChange={setStatus}>
          <SelectTrigger id="filter-status" className="w-44">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value="all">All statuses</SelectItem>
            <SelectItem value="queued">Queued</SelectItem>
            <SelectItem value="processing">Processing</SelectItem>
            <SelectItem value="completed">Completed</SelectItem>
            <SelectItem value="failed">Failed</SelectItem>
            <SelectItem value="cancelled">Cancelled</SelectItem>
            <SelectItem value="filtered">Filtered</SelectItem>
          </SelectContent>
        </Select>
        <Button
          variant="outline"
          size="sm"
          disabled={replayAll.isPending}
          onClick={() =>
            replayAll.mutate("failed", {
              onSuccess: (r) =>
                r.replayed
                  ? toast.success(
                      `Replaying ${r.replayed} failed event${r.replayed === 1 ? "" : "s"}`,
                    )
                  : toast.info("No failed events to replay"),
              onError: (err) => toast.error(err.message),
            })
          }
        >
          <RotateCcwIcon /> Replay all failed
        </Button>
      </div>
      {events.isPending ? (
        <ListSkeleton />
      ) : events.isError ? (
        <ErrorState error={events.error} onRetry={() => events.refetch()} />
      ) : !items.length ? (
        <EmptyState title="No events">
          Events sent to the URL, manual invocations and scheduled runs appear here.
        </EmptyState>
      ) : (
        <>
          <Table aria-label="Events">
            <TableHeader>
              <TableRow>
                <TableHead>Received</TableHead>
                <TableHead>Kind</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Attempts</TableHead>
                <TableHead>Latency</TableHead>
                <TableHead>Payload / error</TableHead>
                <TableHead>
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((e) => (
                <TableRow key={e.id} data-testid="event-row">
                  <TableCell>
                    <RelativeTime value={e.createdAt} />
                  </TableCell>
                  <TableCell>
                    <Badge variant="outline">{e.kind}</Badge>
                    {e.replayOf && (
                      <span className="text-muted-foreground ml-1 text-xs">replay</span>
                    )}
                  </TableCell>
                  <TableCell>
                    <Badge variant={STATUS_VARIANT[e.status]}>{e.status}</Badge>
                  </TableCell>
                  <TableCell>{e.attempts}</TableCell>
                  <TableCell>{e.latencyMs === null ? "—" : `${e.latencyMs} ms`}</TableCell>
                  <TableCell className="max-w-96">
                    <PayloadViewer event={e} />
                  </TableCell>
                  <TableCell className="text-right whitespace-nowrap">
                    <Button variant="ghost" size="sm" asChild>
                      <Link
                        href={`/triggers/${trigger.id}/events/${e.id}`}
                        aria-label={`Inspect event ${e.id}`}
                      >
                        <SearchIcon aria-hidden /> Inspect
                      </Link>
                    </Button>
                    <EventActions triggerId={trigger.id} event={e} withId />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <LoadMore
            hasNextPage={events.hasNextPage}
            isFetchingNextPage={events.isFetchingNextPage}
            fetchNextPage={events.fetchNextPage}
            label="events"
          />
        </>
      )}
    </div>
  );
}

/** Cancel (while queued or running) and Replay, for a row of the list or the inspector. */
export function EventActions({
  triggerId,
  event: e,
  withId = false,
}: {
  triggerId: string;
  event: Pick<TriggerEvent, "id" | "status">;
  /** Name the buttons after the event (a list has many of them). */
  withId?: boolean;
}) {
  const replay = useReplayEvent(triggerId);
  const cancel = useCancelEvent(triggerId);
  return (
    <>
      {(e.status === "queued" || e.status === "processing") && (
        <Button
          variant="ghost"
          size="sm"
          aria-label={withId ? `Cancel event ${e.id}` : undefined}
          disabled={cancel.isPending}
          onClick={() =>
            cancel.mutate(e.id, {
              onSuccess: () => toast.success("Event cancelled"),
              onError: (err) => toast.error(err.message),
            })
          }
        >
          <XIcon aria-hidden /> Cancel
        </Button>
      )}
      <Button
        variant="ghost"
        size="sm"
        aria-label={withId ? `Replay event ${e.id}` : undefined}
        disabled={replay.isPending}
        onClick={() =>
          replay.mutate(e.id, {
            onSuccess: () => toast.success("Replay queued"),
            onError: (err) => toast.error(err.message),
          })
        }
      >
        <RotateCcwIcon aria-hidden /> Replay
      </Button>
    </>
  );
}

function PayloadViewer({ event: e }: { event: TriggerEvent }) {
  return (
    <div className="flex flex-col gap-1 text-xs">
      {e.error && <p className="text-destructive">{e.error}</p>}
      <details>
        <summary className="text-muted-foreground cursor-pointer">
          {e.contentType ?? "no body"}
        </summary>
        <pre
          tabIndex={0}
          className="bg-muted mt-1 max-h-64 overflow-auto rounded p-2 break-all whitespace-pre-wrap"
        >
          {e.payload === null
            ? "(empty)"
            : typeof e.payload === "string"
              ? e.payload
              : JSON.stringify(e.payload, null, 2)}
        </pre>
      </details>
    </div>
  );
}
