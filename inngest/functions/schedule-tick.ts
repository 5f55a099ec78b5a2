import { inngest } from "@/inngest/client";
import { redispatchStale } from "@/lib/processing/by-id";
import { runScheduleTick } from "@/lib/schedules/tick";

// Every minute: queue due scheduled runs, and re-send events whose hand-off to Inngest failed.
export const scheduleTick = inngest.createFunction(
  { id: "schedule-tick", name: "Schedule tick", triggers: [{ cron: "* * * * *" }] },
  async ({ step }) => {
    const tick = await step.run("tick", () => runScheduleTick());
    const sweep = await step.run("redispatch", () => redispatchStale());
    return { ...tick, ...sweep };
  },
);
