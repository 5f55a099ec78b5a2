import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { cancelEvent } from "@/lib/events/service";

// POST /api/v1/integration/trigger/{id}/execution/{executionId}/cancel - cancel a queued or running event
export const POST = apiRoute({}, ({ params, owner }) =>
  cancelEvent({ ownerId: owner.id, triggerId: params.id, eventId: params.executionId }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
