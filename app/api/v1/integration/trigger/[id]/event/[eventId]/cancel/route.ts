import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { cancelEvent } from "@/lib/events/service";

// POST /api/v1/integration/trigger/{id}/event/{eventId}/cancel - cancel a queued or running event
export const POST = apiRoute({}, ({ params, owner }) =>
  cancelEvent({ ownerId: owner.id, triggerId: params.id, eventId: params.eventId }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
