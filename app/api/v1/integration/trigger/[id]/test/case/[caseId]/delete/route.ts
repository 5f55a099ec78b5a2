import { deleteTestCase } from "@/lib/dry-runs/service";
import { apiRoute, methodNotAllowed } from "@/lib/http/route";

// POST /api/v1/integration/trigger/{id}/test/case/{caseId}/delete
export const POST = apiRoute({}, ({ params, owner }) =>
  deleteTestCase({ ownerId: owner.id, triggerId: params.id, caseId: params.caseId }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
