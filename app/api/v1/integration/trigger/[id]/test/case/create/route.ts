import { createTestCaseSchema } from "@/lib/dry-runs/schema";
import { createTestCase } from "@/lib/dry-runs/service";
import { apiRoute, methodNotAllowed } from "@/lib/http/route";

// POST /api/v1/integration/trigger/{id}/test/case/create - keep a stored event (with its run's
// recorded calls) and what a run on it should do; at most 50 per trigger
export const POST = apiRoute({ body: createTestCaseSchema }, ({ params, body, owner }) =>
  createTestCase({ ownerId: owner.id, triggerId: params.id, input: body }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
