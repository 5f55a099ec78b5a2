import { updateTestCaseSchema } from "@/lib/dry-runs/schema";
import { updateTestCase } from "@/lib/dry-runs/service";
import { apiRoute, methodNotAllowed } from "@/lib/http/route";

// POST /api/v1/integration/trigger/{id}/test/case/{caseId}/update - its name or expectations
export const POST = apiRoute({ body: updateTestCaseSchema }, ({ params, body, owner }) =>
  updateTestCase({ ownerId: owner.id, triggerId: params.id, caseId: params.caseId, input: body }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
