import "server-only";
import { getDb } from "@/db/client";
import { stampClientAddresses } from "@/lib/api/client-address";
import { env, usesInngest } from "@/lib/env";
import { sealLegacyCredentials } from "@/lib/skillsets/service";
import { inlineRunner } from "./inline-runner";

/**
 * Called once per server process (instrumentation.ts): check the configuration,
 * open the database, start the inline runner. A configuration this server
 * cannot run with stops it with the sentence that says what to change, not a
 * stack trace.
 */
export async function startServer() {
  try {
    stampClientAddresses(env().TRUST_PROXY_HOPS);
    await startJobs();
  } catch (error) {
    console.error(`[startup] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

async function startJobs() {
  await getDb(); // create and migrate the database at start-up, not on the first request
  await sealLegacyCredentials();
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
