import { listWithoutMetaQuerySchema } from "@/lib/core/list-query";
import { listTestRuns } from "@/lib/dry-runs/service";
import { listResponse } from "@/lib/http/list-response";
import { apiRoute, methodNotAllowed } from "@/lib/http/route";

// GET /api/v1/integration/trigger/{id}/test/run/list - the trigger's last test runs, newest first
export const GET = apiRoute(
  { query: listWithoutMetaQuerySchema },
  ({ req, params, query, owner }) =>
    listResponse(req, query, (q) =>
      listTestRuns({ ownerId: owner.id, triggerId: params.id, query: { ...query, ...q } }),
    ),
);

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
