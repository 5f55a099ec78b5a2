"use client";
import Link from "next/link";
import {
  dayHeading,
  dayTick,
  STATUS_SERIES,
  StackedBars,
  statusCounts,
} from "@/components/charts/lazy";
import { RelativeTime } from "@/components/common/relative-time";
import { EmptyState, ErrorState, ListSkeleton } from "@/components/common/states";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { useOverview, type AccountOverview as Overview } from "./use-overview";

/** The account at a glance: totals, events per day, the triggers with failures first, the latest failures. */
export function AccountOverview() {
  const overview = useOverview();
  return (
    <>
      <PageHeader
        title="Overview"
        description="How your triggers are doing: the last 24 hours and 30 days, failures first."
      />
      {overview.isPending ? (
        <ListSkeleton />
      ) : overview.isError ? (
        <ErrorState error={overview.error} onRetry={() => overview.refetch()} />
      ) : !overview.data.totals.triggers ? (
        <EmptyState
          title="No triggers yet"
          action={
            <Button asChild>
              <Link href="/triggers">Create a trigger</Link>
            </Button>
          }
        >
          Once a trigger receives events, this page shows how they went.
        </EmptyState>
      ) : (
        <OverviewBody data={overview.data} />
      )}
    </>
  );
}

function OverviewBody({ data }: { data: Overview }) {
  const t = data.totals;
  const totals = [
    { label: "Triggers", value: t.triggers.toLocaleString() },
    { label: "Events, 24 hours", value: t.events24h.toLocaleString() },
    { label: "Failed, 24 hours", value: t.failed24h.toLocaleString(), bad: t.failed24h > 0 },
    {
      label: "p95 latency, 24 hours",
      value: t.p95LatencyMs24h === null ? "—" : `${t.p95LatencyMs24h.toLocaleString()} ms`,
    },
    { label: "Tokens, 30 days", value: t.tokens30d.toLocaleString() },
  ];
  return (
    <div className="grid gap-4">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
        {totals.map((x) => (
          <Card key={x.label} className="gap-1">
            <dt className="text-muted-foreground text-xs">{x.label}</dt>
            <dd
              className={`text-2xl font-semibold tabular-nums ${x.bad ? "text-destructive" : ""}`}
            >
              {x.value}
            </dd>
          </Card>
        ))}
      </dl>
      <Card>
        <figure aria-labelledby="overview-events">
          <CardTitle id="overview-events">Events per day</CardTitle>
          <figcaption className="text-muted-foreground mb-2 text-sm">
            Every trigger, by status, per day (UTC) over the last 30 days
          </figcaption>
          <StackedBars
            data={data.days.map((d) => ({ day: d.day, ...statusCounts(d) }))}
            x="day"
            series={STATUS_SERIES}
            tick={dayTick}
            heading={dayHeading}
          />
        </figure>
      </Card>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card className="min-w-0">
          <CardTitle>Triggers, failures first</CardTitle>
          <Table aria-label="Triggers, failures first">
            <TableHeader>
              <TableRow>
                <TableHead>Trigger</TableHead>
                <TableHead className="text-right">Events 24 h</TableHead>
                <TableHead className="text-right">Failed 24 h</TableHead>
                <TableHead className="hidden sm:table-cell">Last run</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {data.triggers.map((tr) => (
                <TableRow key={tr.id}>
                  <TableCell className="max-w-48 truncate">
                    <Link className="underline" href={`/triggers/${tr.id}`}>
                      {tr.name ?? tr.id}
                    </Link>
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{tr.events24h}</TableCell>
                  <TableCell className="text-right tabular-nums">
                    {tr.failed24h ? <Badge variant="destructive">{tr.failed24h}</Badge> : 0}
                  </TableCell>
                  <TableCell className="hidden sm:table-cell">
                    <RelativeTime value={tr.lastTriggerAt} empty="Never" />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
        <Card className="min-w-0">
          <CardTitle>Latest failures</CardTitle>
          {data.latestFailures.length ? (
            <ul className="grid gap-3" aria-label="Latest failures">
              {data.latestFailures.map((f) => (
                <li key={f.id} className="grid gap-0.5 text-sm">
                  <div className="flex flex-wrap items-baseline justify-between gap-x-2">
                    <Link
                      className="font-medium underline"
                      href={`/triggers/${f.triggerId}/events/${f.id}`}
                    >
                      {f.triggerName ?? f.triggerId}
                    </Link>
                    <span className="text-muted-foreground text-xs">
                      <RelativeTime value={f.createdAt} />
                    </span>
                  </div>
                  <p className="text-muted-foreground break-words">{f.error ?? "Failed"}</p>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-muted-foreground text-sm">No failed events. </p>
          )}
        </Card>
      </div>
    </div>
  );
}
