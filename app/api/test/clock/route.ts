import { apiRoute } from "@/lib/http/route";
import { assertTestHooks, clockSchema } from "@/lib/http/test-hooks";
import { clockOffset, setClockOffset } from "@/lib/core/clock";

// POST /api/test/clock - move the server's clock forward (TEST_HOOKS=1 only)
export const POST = apiRoute({ auth: false, body: clockSchema }, ({ body }) => {
  assertTestHooks();
  setClockOffset(body.offsetMs);
  return { offsetMs: clockOffset() };
});
