"use client";
import dynamic from "next/dynamic";
import { Skeleton } from "@/components/ui/skeleton";

// recharts is large: pages load it after their first paint, never in their first load.
const loading = () => <Skeleton className="h-[200px] w-full" />;
export const StackedBars = dynamic(() => import("./charts").then((m) => m.StackedBars), {
  ssr: false,
  loading,
}) as typeof import("./charts").StackedBars;
export const Lines = dynamic(() => import("./charts").then((m) => m.Lines), {
  ssr: false,
  loading,
}) as typeof import("./charts").Lines;
export type { Series } from "./charts";

/** The status series of the event charts, in the theme's chart colours. */
export const STATUS_SERIES = [
  { key: "completed", label: "Completed", color: "var(--chart-completed)" },
  { key: "failed", label: "Failed", color: "var(--chart-failed)" },
  { key: "filtered", label: "Filtered", color: "var(--chart-filtered)" },
  { key: "cancelled", label: "Cancelled", color: "var(--chart-cancelled)" },
  { key: "pending", label: "Queued or running", color: "var(--chart-pending)" },
  { key: "waiting", label: "Waiting for approval", color: "var(--chart-waiting)" },
];

/** A stats point's counts by status as the STATUS_SERIES keys (queued and running together). */
export const statusCounts = ({ byStatus: s }: { byStatus: Record<string, number> }) => ({
  completed: s.completed ?? 0,
  failed: s.failed ?? 0,
  filtered: s.filtered ?? 0,
  cancelled: s.cancelled ?? 0,
  pending: (s.queued ?? 0) + (s.processing ?? 0),
  waiting: s.waiting ?? 0,
});

export const hourTick = (iso: string) =>
  new Date(iso).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
export const hourHeading = (iso: string) =>
  new Date(iso).toLocaleString(undefined, {
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
  });
export const dayTick = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString(undefined, {
    month: "short",
    day: "numeric",
    timeZone: "UTC",
  });
export const dayHeading = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString(undefined, {
    weekday: "short",
    month: "short",
    day: "numeric",
    timeZone: "UTC",
  });
