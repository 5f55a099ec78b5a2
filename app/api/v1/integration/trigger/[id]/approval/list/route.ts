import { listApprovalsQuerySchema } from "@/lib/approvals/schema";
import { listApprovals } from "@/lib/approvals/service";
import { listResponse } from "@/lib/http/list-response";
import { apiRoute, methodNotAllowed } from "@/lib/http/route";

// GET /api/v1/integration/trigger/{id}/approval/list - the trigger's approvals (status, meta.*)
export const GET = apiRoute({ query: listApprovalsQuerySchema }, ({ req, params, query, owner }) =>
  listResponse(req, query, (q) =>
    listApprovals({ ownerId: owner.id, query: { ...query, ...q, triggerId: params.id } }),
  ),
);

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
