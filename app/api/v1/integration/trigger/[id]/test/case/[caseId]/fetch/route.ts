import { fetchTestCase } from "@/lib/dry-runs/service";
import { apiRoute, methodNotAllowed } from "@/lib/http/route";

// GET /api/v1/integration/trigger/{id}/test/case/{caseId}/fetch - one test case with its saved event
export const GET = apiRoute({}, ({ params, owner }) =>
  fetchTestCase({ ownerId: owner.id, triggerId: params.id, caseId: params.caseId }),
);

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
