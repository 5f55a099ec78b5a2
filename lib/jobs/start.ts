import "server-only";
import { getDb } from "@/db/client";
import { env, usesInngest } from "@/lib/env";
import { inlineRunner } from "./inline-runner";

/** Called once per server process (instrumentation.ts): open the database, start the inline runner. */
export async function startJobs() {
  await getDb(); // create and migrate the database at start-up, not on the first request
  if (usesInngest()) {
    console.log(
      "[jobs] Inngest mode: events are processed by the functions served at /api/inngest.",
    );
    return;
  }
  if (!env().INLINE_RUNNER) {
    console.log(
      "[jobs] INLINE_RUNNER=false: this server only accepts events; another process must run them.",
    );
    return;
  }
  inlineRunner().start();
  console.log("[jobs] Inline runner started: events and schedules are processed in this process.");
}
