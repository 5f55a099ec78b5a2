import { inngest, OUTBOX_READY } from "@/inngest/client";
import { deliverDue, nextDue } from "@/lib/outbox/deliver";

/** Rounds of "deliver, then sleep until the next retry" one run makes before the tick takes over. */
const ROUNDS = 10;
/** A retry further away than this is left to the minute tick. */
const NEAR_MS = 60_000;

// Something was written to the outbox: deliver what is due, and stay for retries that come due
// within the minute (the tick sweeps the rest). The claim's lease keeps two runs from sending one
// row together.
export const deliverOutbox = inngest.createFunction(
  {
    id: "deliver-outbox",
    name: "Deliver replies and notifications",
    triggers: [{ event: OUTBOX_READY }],
    concurrency: [{ limit: 2 }],
  },
  async ({ step }) => {
    let delivered = 0;
    for (let i = 0; i < ROUNDS; i++) {
      delivered += await step.run(`deliver-${i}`, async () => {
        let n = 0;
        for (let tried = await deliverDue(50); tried > 0; tried = await deliverDue(50)) n += tried;
        return n;
      });
      const next = await step.run(`next-${i}`, () => nextDue());
      if (!next || Date.parse(next) - Date.now() > NEAR_MS) break;
      await step.sleepUntil(`wait-${i}`, new Date(next));
    }
    return { delivered };
  },
);
