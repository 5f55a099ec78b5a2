import { pendingApprovalCount } from "@/lib/approvals/service";
import { apiRoute, methodNotAllowed } from "@/lib/http/route";

// GET /api/v1/approval/count - how many calls wait for a decision (the navigation's badge)
export const GET = apiRoute({}, ({ owner }) => pendingApprovalCount({ ownerId: owner.id }));

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
