import { listResponse } from "@/lib/http/list-response";
import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { listEventsQuerySchema } from "@/lib/events/schema";
import { listEvents } from "@/lib/events/service";

// GET /api/v1/integration/trigger/{id}/event/list - the trigger's delivery log (status filter)
export const GET = apiRoute({ query: listEventsQuerySchema }, ({ req, params, query, owner }) =>
  listResponse(req, query, (q) =>
    listEvents({ ownerId: owner.id, triggerId: params.id, query: { ...query, ...q } }),
  ),
);

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
