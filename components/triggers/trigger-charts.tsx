"use client";
import {
  dayHeading,
  dayTick,
  hourHeading,
  hourTick,
  Lines,
  STATUS_SERIES,
  StackedBars,
  statusCounts,
} from "@/components/charts/lazy";
import { ErrorState } from "@/components/common/states";
import { Card, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import type { TriggerStats } from "./types";
import { useTriggerStats } from "./use-triggers";

const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? "" : "s"}`;

/** The trigger's overview charts: events by status, end-to-end latency, tokens and the budget. */
export function TriggerCharts({ triggerId }: { triggerId: string }) {
  const stats = useTriggerStats(triggerId);
  if (stats.isError)
    return (
      <Card className="lg:col-span-2">
        <ErrorState error={stats.error} onRetry={() => stats.refetch()} />
      </Card>
    );
  if (!stats.data)
    return (
      <Card className="lg:col-span-2">
        <Skeleton className="h-64 w-full" />
      </Card>
    );
  const { hours, days } = stats.data;
  const total24 = hours.reduce((n, h) => n + h.total, 0);
  const failed24 = hours.reduce((n, h) => n + h.failed, 0);
  const total30 = days.reduce((n, d) => n + d.total, 0);
  const tokens30 = days.reduce((n, d) => n + d.inputTokens + d.outputTokens, 0);
  // events taken into another event's run: each is a bot run (and its model calls) saved
  const saved30 = total30 - days.reduce((n, d) => n + d.runs, 0);
  return (
    <>
      <Card>
        <figure aria-labelledby={`tokens-${triggerId}`}>
          <CardTitle id={`tokens-${triggerId}`}>Model tokens</CardTitle>
          <figcaption className="text-muted-foreground mb-2 text-sm">
            {plural(tokens30, "token")} per day (UTC) over the last 30 days
          </figcaption>
          <BudgetBar stats={stats.data} />
          <StackedBars
            data={days.map((d) => ({ day: d.day, input: d.inputTokens, output: d.outputTokens }))}
            x="day"
            series={[
              { key: "input", label: "Input tokens", color: "var(--chart-p50)" },
              { key: "output", label: "Output tokens", color: "var(--chart-p95)" },
            ]}
            tick={dayTick}
            heading={dayHeading}
          />
        </figure>
      </Card>
      <Card className="lg:col-span-2">
        <figure aria-labelledby={`events-${triggerId}`}>
          <CardTitle id={`events-${triggerId}`}>Events by status</CardTitle>
          {saved30 > 0 && (
            <p className="text-muted-foreground text-sm" data-testid="batch-savings">
              Last 30 days: {plural(total30, "event")} in {plural(total30 - saved30, "run")};
              batching saved {plural(saved30, "run")} of the bot.
            </p>
          )}
          <Tabs defaultValue="24h">
            <TabsList aria-label="Events chart range">
              <TabsTrigger value="24h">24 hours</TabsTrigger>
              <TabsTrigger value="30d">30 days</TabsTrigger>
            </TabsList>
            <TabsContent value="24h">
              <figcaption className="text-muted-foreground mb-2 text-sm">
                {plural(total24, "event")} per hour over the last 24 hours, {failed24} failed
                {stats.data.rejectedCount
                  ? `; ${stats.data.rejectedCount} rejected by the rate limit (all time)`
                  : ""}
              </figcaption>
              <StackedBars
                data={hours.map((h) => ({ hour: h.hour, ...statusCounts(h) }))}
                x="hour"
                series={STATUS_SERIES}
                tick={hourTick}
                heading={hourHeading}
              />
            </TabsContent>
            <TabsContent value="30d">
              <figcaption className="text-muted-foreground mb-2 text-sm">
                {plural(total30, "event")} per day (UTC) over the last 30 days
              </figcaption>
              <StackedBars
                data={days.map((d) => ({ day: d.day, ...statusCounts(d) }))}
                x="day"
                series={STATUS_SERIES}
                tick={dayTick}
                heading={dayHeading}
              />
            </TabsContent>
          </Tabs>
        </figure>
      </Card>
      <Card className="lg:col-span-2">
        <figure aria-labelledby={`latency-${triggerId}`}>
          <CardTitle id={`latency-${triggerId}`}>End-to-end latency</CardTitle>
          <figcaption className="text-muted-foreground mb-2 text-sm">
            From arrival to the final status, per hour over the last 24 hours
          </figcaption>
          <Lines
            data={hours.map((h) => ({ hour: h.hour, p50: h.p50, p95: h.p95 }))}
            x="hour"
            series={[
              { key: "p50", label: "p50", color: "var(--chart-p50)" },
              { key: "p95", label: "p95", color: "var(--chart-p95)" },
            ]}
            tick={hourTick}
            heading={hourHeading}
            unit=" ms"
          />
        </figure>
      </Card>
    </>
  );
}

function BudgetBar({ stats }: { stats: TriggerStats }) {
  const budget = stats.monthlyTokenBudget;
  const used = stats.tokensUsedThisMonth;
  if (budget === null)
    return (
      <p className="text-muted-foreground mb-2 text-xs">
        {plural(used, "token")} this month; no monthly budget (set one in Settings).
      </p>
    );
  const share = Math.min(1, used / budget);
  const resets = new Date(stats.budgetResetsAt).toLocaleDateString();
  return (
    <div className="mb-3 grid gap-1">
      <div className="flex justify-between text-xs">
        <span>
          {used.toLocaleString()} of {budget.toLocaleString()} tokens this month
        </span>
        <span className="text-muted-foreground">resets {resets}</span>
      </div>
      <div
        role="progressbar"
        aria-label="Monthly token budget used"
        aria-valuemin={0}
        aria-valuemax={budget}
        aria-valuenow={Math.min(used, budget)}
        className="bg-muted h-2 overflow-hidden rounded"
      >
        <div
          className={share >= 1 ? "bg-destructive h-full" : "bg-primary h-full"}
          style={{ width: `${share * 100}%` }}
        />
      </div>
      {share >= 1 && (
        <p className="text-destructive text-xs">
          Budget spent: events fail until the month turns or the budget is raised.
        </p>
      )}
    </div>
  );
}
