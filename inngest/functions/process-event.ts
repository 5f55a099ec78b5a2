import { EVENT_RECEIVED, inngest, PROCESS_FUNCTION_ID } from "@/inngest/client";
import { env } from "@/lib/core/env";
import { MAX_ATTEMPTS } from "@/lib/processing/claim";
import { runEventById } from "@/lib/processing/run-by-id";

// The first attempt plus these retries is MAX_ATTEMPTS (Inngest's type wants a literal count).
const RETRIES = ([0, 1, 2, 3, 4, 5, 6, 7, 8, 9] as const)[MAX_ATTEMPTS - 1];

// One run at a time per (trigger, session) keeps a conversation's messages in order; at most
// INNGEST_MAX_PER_OWNER runs per owner keeps one tenant's backlog from taking every worker.
export const processEvent = inngest.createFunction(
  {
    id: PROCESS_FUNCTION_ID,
    name: "Process trigger event",
    triggers: [{ event: EVENT_RECEIVED }],
    concurrency: [
      { key: "event.data.concurrencyKey", limit: 1 },
      { key: "event.data.ownerId", limit: env().INNGEST_MAX_PER_OWNER },
    ],
    retries: RETRIES,
  },
  async ({ event, step }) => step.run("process", () => runEventById(String(event.data.eventId))),
);
