import { listResponse } from "@/lib/http/list-response";
import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { listEventsQuerySchema } from "@/lib/events/schema";
import { listEvents } from "@/lib/events/service";

// GET /api/v1/integration/trigger/{id}/execution/list - the trigger's events, under the name newer SDKs use
export const GET = apiRoute({ query: listEventsQuerySchema }, ({ req, params, query, owner }) =>
  listResponse(req, query, (q) =>
    listEvents({ ownerId: owner.id, triggerId: params.id, query: q }),
  ),
);

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
