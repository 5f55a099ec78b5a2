import { inngest, PROCESS_FUNCTION_ID } from "@/inngest/client";
import { markEventFailed } from "@/lib/processing/run-by-id";

// When a processing run fails for good (out of retries, crashed, timed out), the event ends `failed`.
export const eventFailed = inngest.createFunction(
  {
    id: "trigger-event-failed",
    name: "Mark trigger event failed",
    triggers: [
      {
        event: "inngest/function.failed",
        if: `event.data.function_id == "trigger-dashboard-${PROCESS_FUNCTION_ID}"`,
      },
    ],
  },
  async ({ event, step }) => {
    const original =
      (event.data as { event?: { data?: { eventId?: string } }; error?: { message?: string } }) ??
      {};
    const eventId = original.event?.data?.eventId;
    if (!eventId) return { status: "ignored" };
    return step.run("mark-failed", () =>
      markEventFailed(eventId, original.error?.message ?? "Processing failed"),
    );
  },
);
