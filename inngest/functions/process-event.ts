import { EVENT_RECEIVED, inngest, PROCESS_FUNCTION_ID } from "@/inngest/client";
import { runEventById } from "@/lib/processing/by-id";

// One run at a time per (trigger, session) keeps a conversation's messages in order.
export const processEvent = inngest.createFunction(
  {
    id: PROCESS_FUNCTION_ID,
    name: "Process trigger event",
    triggers: [{ event: EVENT_RECEIVED }],
    concurrency: [{ key: "event.data.concurrencyKey", limit: 1 }],
    retries: 2,
  },
  async ({ event, step }) => step.run("process", () => runEventById(String(event.data.eventId))),
);
