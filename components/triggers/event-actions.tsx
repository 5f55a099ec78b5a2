"use client";
import { RotateCcwIcon, XIcon } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import type { TriggerEvent } from "./types";
import { useCancelEvent, useReplayEvent } from "./use-triggers";

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
      {(e.status === "queued" || e.status === "processing" || e.status === "waiting") && (
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
