"use client";
import { RotateCcwIcon, SearchIcon, XIcon } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { toast } from "sonner";
import { LoadMore } from "@/components/common/load-more";
import { RelativeTime } from "@/components/common/relative-time";
import { EmptyState, ErrorState, ListSkeleton } from "@/components/common/states";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
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
import { MAX_EVENT_SEARCH_LENGTH } from "@/lib/events/schema";
import type { Trigger, TriggerEvent } from "./types";
import {
  useBulkEventAction,
  useCancelEvent,
  useReplayAll,
  useReplayEvent,
  useTriggerEvents,
  type EventFilters,
} from "./use-triggers";

export const STATUS_VARIANT = {
  queued: "outline",
  processing: "secondary",
  completed: "success",
  failed: "destructive",
  cancelled: "outline",
  filtered: "outline",
} as const;

const STATUSES = ["queued", "processing", "completed", "failed", "cancelled", "filtered"] as const;
const KINDS = ["event", "invoke", "schedule"] as const;

/** The Events tab's filters live in the URL (?status=&kind=&q=&from=&to=), so a view can be linked. */
function useUrlFilters() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const day = (name: string) => params.get(name) ?? "";
  const filters: EventFilters = {
    status: params.get("status") ?? undefined,
    kind: params.get("kind") ?? undefined,
    search: params.get("q") ?? undefined,
    // dates are whole local days: from the start of "from" to the end of "to"
    from: day("from") ? new Date(`${day("from")}T00:00`).toISOString() : undefined,
    to: day("to")
      ? new Date(new Date(`${day("to")}T00:00`).getTime() + 86_400_000).toISOString()
      : undefined,
  };
  const set = (name: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    next.set("tab", "events");
    router.replace(`${pathname}?${next}`, { scroll: false });
  };
  return { filters, params, set, day };
}

export function TriggerEvents({ trigger }: { trigger: Trigger }) {
  const { filters, params, set, day } = useUrlFilters();
  const events = useTriggerEvents(trigger.id, filters);
  const replayAll = useReplayAll(trigger.id);
  const bulk = useBulkEventAction(trigger.id);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [search, setSearch] = useState(params.get("q") ?? "");
  const items = events.data?.pages.flatMap((p) => p.items) ?? [];
  const urlSearch = params.get("q") ?? "";
  useEffect(() => {
    if (search.trim() === urlSearch) return;
    const t = setTimeout(() => set("q", search.trim() || null), 300);
    return () => clearTimeout(t);
  }); // no dependency list: it compares the box with the URL after every render
  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const chosen = items.filter((e) => selected.has(e.id));
  const cancellable = chosen.filter((e) => e.status === "queued" || e.status === "processing");
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
  const filtered = Boolean(
    filters.status || filters.kind || filters.search || filters.from || filters.to,
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
      <div role="group" aria-label="Filter events" className="flex flex-wrap items-end gap-2">
        <div className="flex flex-col gap-1">
          <Label htmlFor="filter-status">Status</Label>
          <Select
            value={filters.status ?? "all"}
            onValueChange={(v) => set("status", v === "all" ? null : v)}
          >
            <SelectTrigger id="filter-status" className="w-40">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="all">All statuses</SelectItem>
              {STATUSES.map((st) => (
                <SelectItem key={st} value={st}>
                  {st[0].toUpperCase() + st.slice(1)}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="filter-kind">Kind</Label>
          <Select
            value={filters.kind ?? "all"}
            onValueChange={(v) => set("kind", v === "all" ? null : v)}
          >
            <SelectTrigger id="filter-kind" className="w-36">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="all">All kinds</SelectItem>
              {KINDS.map((k) => (
                <SelectItem key={k} value={k}>
                  {k[0].toUpperCase() + k.slice(1)}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </div>
        <div className="flex min-w-48 flex-1 flex-col gap-1">
          <Label htmlFor="filter-search">Search payloads</Label>
          <Input
            id="filter-search"
            type="search"
            placeholder="Text anywhere in the payload"
            value={search}
            maxLength={MAX_EVENT_SEARCH_LENGTH}
            onChange={(ev) => setSearch(ev.target.value)}
          />
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="filter-from">From</Label>
          <Input
            id="filter-from"
            type="date"
            className="w-40"
            value={day("from")}
            onChange={(ev) => set("from", ev.target.value || null)}
          />
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="filter-to">To</Label>
          <Input
            id="filter-to"
            type="date"
            className="w-40"
            value={day("to")}
            onChange={(ev) => set("to", ev.target.value || null)}
          />
        </div>
      </div>
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
      {events.isPending ? (
        <ListSkeleton />
      ) : events.isError ? (
        <ErrorState error={events.error} onRetry={() => events.refetch()} />
      ) : !items.length ? (
        filtered ? (
          <EmptyState title="No events match these filters">
            Change or clear the filters above to see more.
          </EmptyState>
        ) : (
          <EmptyState title="No events">
            Events sent to the URL, manual invocations and scheduled runs appear here.
          </EmptyState>
        )
      ) : (
        <>
          <Table aria-label="Events">
            <TableHeader>
              <TableRow>
                <TableHead className="w-8">
                  <input
                    type="checkbox"
                    aria-label="Select all events shown"
                    className="size-4"
                    checked={items.length > 0 && items.every((e) => selected.has(e.id))}
                    onChange={(ev) =>
                      setSelected(ev.target.checked ? new Set(items.map((e) => e.id)) : new Set())
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
              {items.map((e) => (
                <TableRow key={e.id} data-testid="event-row">
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
