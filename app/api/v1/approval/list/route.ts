import { listApprovalsQuerySchema } from "@/lib/approvals/schema";
import { listApprovals } from "@/lib/approvals/service";
import { listResponse } from "@/lib/http/list-response";
import { apiRoute, methodNotAllowed } from "@/lib/http/route";

// GET /api/v1/approval/list - every approval of the account, newest first (status, triggerId, meta.*)
export const GET = apiRoute({ query: listApprovalsQuerySchema }, ({ req, query, owner }) =>
  listResponse(req, query, (q) => listApprovals({ ownerId: owner.id, query: { ...query, ...q } })),
);

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
