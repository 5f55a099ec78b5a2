import { readBodyLimited, MiB } from "@/lib/core/body";
import { apiRoute } from "@/lib/http/route";
import { assertTestHooks } from "@/lib/http/test-hooks";

// POST /api/test/ceiling - reads the body and answers 202 without touching the database: the
// benchmark's ceiling for the event endpoint on the same server (TEST_HOOKS=1 only)
export const POST = apiRoute({ auth: false }, async ({ req }) => {
  assertTestHooks();
  await readBodyLimited(req, MiB);
  return Response.json({ id: "ceiling", status: "queued" }, { status: 202 });
});
