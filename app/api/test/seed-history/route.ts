import { z } from "zod";
import { apiRoute } from "@/lib/http/route";
import { assertTestHooks } from "@/lib/http/test-hooks";
import { seedHistory } from "@/lib/stats/seed-history";

const seedSchema = z.object({
  triggerId: z.string().min(1),
  events: z.number().int().min(1).max(2_000_000),
});

// POST /api/test/seed-history - past events and messages on a trigger, for the growth benchmark (TEST_HOOKS=1 only)
export const POST = apiRoute({ body: seedSchema }, async ({ body, owner }) => {
  assertTestHooks();
  return seedHistory({ ownerId: owner.id, triggerId: body.triggerId, events: body.events });
});
