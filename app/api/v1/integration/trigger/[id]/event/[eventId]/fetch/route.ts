import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { fetchEvent } from "@/lib/events/service";

// GET /api/v1/integration/trigger/{id}/event/{eventId}/fetch - one event with its run's recorded steps
export const GET = apiRoute({}, ({ params, owner }) =>
  fetchEvent({ ownerId: owner.id, triggerId: params.id, eventId: params.eventId }),
);

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
