import { Badge } from "@/components/ui/badge";
import type { EventStatus } from "@/db/schema";

const VARIANT: Record<
  EventStatus,
  "default" | "outline" | "secondary" | "success" | "destructive"
> = {
  queued: "outline",
  waiting: "default",
  processing: "secondary",
  batched: "secondary",
  completed: "success",
  failed: "destructive",
  cancelled: "outline",
  filtered: "outline",
};

/** An event's status, the same badge everywhere it is shown. */
export function StatusBadge({ status }: { status: EventStatus }) {
  return <Badge variant={VARIANT[status] ?? "outline"}>{status}</Badge>;
}
