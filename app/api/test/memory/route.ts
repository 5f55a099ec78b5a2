import { apiRoute } from "@/lib/http/route";
import { assertTestHooks } from "@/lib/http/test-hooks";

// GET /api/test/memory - this server's resident and heap memory in bytes (TEST_HOOKS=1 only)
export const GET = apiRoute({ auth: false }, () => {
  assertTestHooks();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
});
