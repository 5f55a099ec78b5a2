import { apiRoute } from "@/lib/http/route";
import { assertTestHooks } from "@/lib/http/test-hooks";
import { runScheduleTick } from "@/lib/schedules/tick";

// POST /api/test/tick - run the schedule tick now (TEST_HOOKS=1 only)
export const POST = apiRoute({ auth: false }, () => {
  assertTestHooks();
  return runScheduleTick();
});
