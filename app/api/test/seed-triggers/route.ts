import { z } from "zod";
import { apiRoute } from "@/lib/http/route";
import { assertTestHooks } from "@/lib/http/test-hooks";
import { seedTriggers } from "@/lib/triggers/seed";

const seedSchema = z.object({
  botId: z.string().min(1),
  count: z.number().int().min(1).max(200_000),
});

// POST /api/test/seed-triggers - bulk-insert triggers for the caller, for the listing benchmark (TEST_HOOKS=1 only)
export const POST = apiRoute({ body: seedSchema }, async ({ body, owner }) => {
  assertTestHooks();
  return seedTriggers({ ownerId: owner.id, botId: body.botId, count: body.count });
});
