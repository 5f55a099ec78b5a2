import { decideApprovalSchema } from "@/lib/approvals/schema";
import { decideApproval } from "@/lib/approvals/service";
import { apiRoute, methodNotAllowed } from "@/lib/http/route";

// POST /api/v1/integration/trigger/{id}/event/{eventId}/approval - approve or deny a waiting call
export const POST = apiRoute({ body: decideApprovalSchema }, ({ params, body, owner }) =>
  decideApproval({
    ownerId: owner.id,
    userId: owner.id,
    triggerId: params.id,
    eventId: params.eventId,
    input: body,
  }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
