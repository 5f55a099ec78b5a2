import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { replayEvent } from "@/lib/events/service";

// POST /api/v1/integration/trigger/{id}/event/{eventId}/replay - queue a copy of an event
export const POST = apiRoute({}, ({ params, owner }) =>
  replayEvent({ ownerId: owner.id, triggerId: params.id, eventId: params.eventId }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
