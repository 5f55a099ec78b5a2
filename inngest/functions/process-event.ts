import { EVENT_RECEIVED, inngest, PROCESS_FUNCTION_ID } from "@/inngest/client";
import { env } from "@/lib/core/env";
import { MAX_ATTEMPTS } from "@/lib/processing/claim";
import { heldUntil, runEventById } from "@/lib/processing/run-by-id";

/** Times an event held for a batch is looked at again (each later arrival may move its time). */
const MAX_HOLDS = 50;

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
  async ({ event, step }) => {
    const id = String(event.data.eventId);
    // held for a batch: sleep until the batch is due (the database says when), then claim it;
    // the claim takes the batch's other events, whose own runs then find nothing to do
    for (let i = 0; i < MAX_HOLDS; i++) {
      const due = await step.run(`due-${i}`, () => heldUntil(id));
      if (!due) break;
      await step.sleepUntil(`hold-${i}`, new Date(due));
    }
    return step.run("process", () => runEventById(id));
  },
);
