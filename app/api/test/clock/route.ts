import { apiRoute } from "@/lib/api/route";
import { assertTestHooks, clockSchema } from "@/lib/api/test-hooks";
import { clockOffset, setClockOffset } from "@/lib/clock";

// POST /api/test/clock - move the server's clock forward (TEST_HOOKS=1 only)
export const POST = apiRoute({ auth: false, body: clockSchema }, ({ body }) => {
  assertTestHooks();
  setClockOffset(body.offsetMs);
  return { offsetMs: clockOffset() };
});
