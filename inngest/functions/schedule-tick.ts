import { inngest } from "@/inngest/client";
import { deleteExpired, redispatchStale } from "@/lib/jobs/sweep";
import { runScheduleTick } from "@/lib/schedules/tick";

// Every minute: queue due scheduled runs; re-send events whose hand-off to Inngest failed or whose
// run died with its lease; delete what is past retention.
export const scheduleTick = inngest.createFunction(
  { id: "schedule-tick", name: "Schedule tick", triggers: [{ cron: "* * * * *" }] },
  async ({ step }) => {
    const tick = await step.run("tick", () => runScheduleTick());
    const sweep = await step.run("redispatch", () => redispatchStale());
    const retention = await step.run("retention", () => deleteExpired());
    return { ...tick, ...sweep, deleted: retention };
  },
);
