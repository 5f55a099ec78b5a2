"use client";
import { RotateCcwIcon, SearchIcon, XIcon } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { PayloadView } from "@/components/common/json-view";
import { ListBody, morePages } from "@/components/common/list";
import { RelativeTime } from "@/components/common/relative-time";
import { EmptyState } from "@/components/common/states";
import { StatusBadge } from "@/components/common/status-badge";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { EventActions } from "./event-actions";
import { EventFilterBar, useEventFilters } from "./event-filters";
import type { Trigger } from "./types";
import { useBulkEventAction, useReplayAll, useTriggerEvents } from "./use-triggers";

export function TriggerEvents({ trigger }: { trigger: Trigger }) {
  const filterState = useEventFilters();
  const { filters, active: filtered } = filterState;
  const events = useTriggerEvents(trigger.id, filters);
  const replayAll = useReplayAll(trigger.id);
  const bulk = useBulkEventAction(trigger.id);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const items = events.data?.pages.flatMap((p) => p.items) ?? [];
  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const chosen = items.filter((e) => selected.has(e.id));
  const cancellable = chosen.filter((e) =>
    ["queued", "processing", "waiting", "batched"].includes(e.status),
  );
  // a batch's events are shown as one group: how many of them this page holds, by the run's id
  const batchSizes = new Map<string, number>();
  for (const e of items)
    if (e.batchId) batchSizes.set(e.batchId, (batchSizes.get(e.batchId) ?? 0) + 1);
  const runBulk = (action: "replay" | "cancel", ids: string[]) =>
    bulk.mutate(
      { action, ids },
      {
        onSuccess: (r) => {
          setSelected(new Set());
          const verb = action === "replay" ? "Replaying" : "Cancelled";
          if (r.done) toast.success(`${verb} ${r.done} event${r.done === 1 ? "" : "s"}`);
          if (r.failed) toast.error(`${r.failed} could not be changed: ${r.firstError}`);
        },
      },
    );
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-muted-foreground text-sm" data-testid="rejected-count">
          {trigger.rejectedCount} request{trigger.rejectedCount === 1 ? "" : "s"} rejected by the
          rate limit
        </p>
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
      <EventFilterBar state={filterState} />
      {chosen.length > 0 && (
        <div
          role="group"
          aria-label="Selected events"
          className="bg-muted/50 flex flex-wrap items-center gap-2 rounded-md border p-2 text-sm"
        >
          <span>{chosen.length} selected</span>
          <Button
            size="sm"
            disabled={bulk.isPending}
            onClick={() =>
              runBulk(
                "replay",
                chosen.map((e) => e.id),
              )
            }
          >
            <RotateCcwIcon aria-hidden /> Replay selected
          </Button>
          {cancellable.length > 0 && (
            <Button
              size="sm"
              variant="outline"
              disabled={bulk.isPending}
              onClick={() =>
                runBulk(
                  "cancel",
                  cancellable.map((e) => e.id),
                )
              }
            >
              <XIcon aria-hidden /> Cancel {cancellable.length} queued or running
            </Button>
          )}
          <Button size="sm" variant="ghost" onClick={() => setSelected(new Set())}>
            Clear selection
          </Button>
        </div>
      )}
      <ListBody
        state={events}
        items={items}
        more={morePages(events, "events")}
        empty={
          filtered ? (
            <EmptyState title="No events match these filters">
              Change or clear the filters above to see more.
            </EmptyState>
          ) : (
            <EmptyState title="No events">
              Events sent to the URL, manual invocations and scheduled runs appear here.
            </EmptyState>
          )
        }
      >
        {(rows) => (
          <Table aria-label="Events">
            <TableHeader>
              <TableRow>
                <TableHead className="w-8">
                  <input
                    type="checkbox"
                    aria-label="Select all events shown"
                    className="size-4"
                    checked={rows.every((e) => selected.has(e.id))}
                    onChange={(ev) =>
                      setSelected(ev.target.checked ? new Set(rows.map((e) => e.id)) : new Set())
                    }
                  />
                </TableHead>
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
              {rows.map((e) => (
                <TableRow
                  key={e.id}
                  data-testid="event-row"
                  className={e.batchId ? "border-l-primary/60 border-l-4" : undefined}
                >
                  <TableCell>
                    <input
                      type="checkbox"
                      aria-label={`Select event ${e.id}`}
                      className="size-4"
                      checked={selected.has(e.id)}
                      onChange={(ev) => toggle(e.id, ev.target.checked)}
                    />
                  </TableCell>
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
                    <StatusBadge status={e.status} />
                    {e.batchId === e.id && (
                      <p className="text-muted-foreground mt-1 text-xs">
                        one run for {batchSizes.get(e.id) ?? 1} events
                      </p>
                    )}
                    {e.batchId && e.batchId !== e.id && (
                      <p className="text-muted-foreground mt-1 text-xs">
                        in the run of{" "}
                        <Link
                          className="underline"
                          href={`/triggers/${trigger.id}/events/${e.batchId}`}
                        >
                          …{e.batchId.slice(-6)}
                        </Link>
                      </p>
                    )}
                    {e.status === "queued" && e.runAfter && (
                      <p className="text-muted-foreground mt-1 text-xs">
                        runs <RelativeTime value={e.runAfter} />
                      </p>
                    )}
                  </TableCell>
                  <TableCell>{e.attempts}</TableCell>
                  <TableCell>{e.latencyMs === null ? "—" : `${e.latencyMs} ms`}</TableCell>
                  <TableCell className="max-w-96 text-xs">
                    {e.error && <p className="text-destructive">{e.error}</p>}
                    <PayloadView
                      payload={e.payload}
                      contentType={e.contentType}
                      className="max-h-64"
                    />
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
        )}
      </ListBody>
    </div>
  );
}
