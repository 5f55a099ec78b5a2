import { vacuumUnattended } from "@/db/vacuum";
import { inngest } from "@/inngest/client";
import { redispatchStale } from "@/lib/processing/sweep";
import { deleteExpired } from "@/lib/server/maintenance";
import { runScheduleTick } from "@/lib/schedules/tick";
import { rollUpStats } from "@/lib/stats/rollup";
import { expireApprovals } from "@/lib/approvals/service";
import { deliverDue } from "@/lib/outbox/deliver";

// Every minute: queue due scheduled runs; re-send events whose hand-off to Inngest failed or whose
// run died with its lease; delete what is past retention; roll the closed hours and the open
// hour's closed minutes into the chart stats; count undecided approvals past their timeout as
// denied; deliver what the outbox holds; and, on a database without autovacuum, vacuum and analyze
// the tables past its thresholds (the inline runner's timer does it when there is no Inngest).
export const scheduleTick = inngest.createFunction(
  { id: "schedule-tick", name: "Schedule tick", triggers: [{ cron: "* * * * *" }] },
  async ({ step }) => {
    const tick = await step.run("tick", () => runScheduleTick());
    const sweep = await step.run("redispatch", () => redispatchStale());
    const retention = await step.run("retention", () => deleteExpired());
    const rollup = await step.run("stats rollup", () => rollUpStats());
    const approvals = await step.run("approval expiry", () => expireApprovals());
    const outbox = await step.run("outbox", () => deliverDue(100));
    const vacuum = await step.run("vacuum", () => vacuumUnattended());
    return {
      ...tick,
      ...sweep,
      deleted: retention,
      rolledUp: rollup?.hours ?? 0,
      rolledUpMinutes: rollup?.minutes ?? 0,
      expiredApprovals: approvals.expired,
      outboxTried: outbox,
      // null where autovacuum does it
      vacuumed: vacuum?.vacuumed ?? null,
      analyzed: vacuum?.analyzed ?? null,
    };
  },
);
