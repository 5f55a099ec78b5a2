import { listWithoutMetaQuerySchema } from "@/lib/core/list-query";
import { listTestCases } from "@/lib/dry-runs/service";
import { listResponse } from "@/lib/http/list-response";
import { apiRoute, methodNotAllowed } from "@/lib/http/route";

// GET /api/v1/integration/trigger/{id}/test/case/list - the trigger's test cases
export const GET = apiRoute(
  { query: listWithoutMetaQuerySchema },
  ({ req, params, query, owner }) =>
    listResponse(req, query, (q) =>
      listTestCases({ ownerId: owner.id, triggerId: params.id, query: { ...query, ...q } }),
    ),
);

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
