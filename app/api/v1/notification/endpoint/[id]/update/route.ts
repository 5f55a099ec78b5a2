import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { updateEndpointSchema } from "@/lib/outbox/schema";
import { updateEndpoint } from "@/lib/outbox/endpoints";

// POST /api/v1/notification/endpoint/{id}/update - its URL, event types, description; enabled: true turns it on again
export const POST = apiRoute({ body: updateEndpointSchema }, ({ params, body, owner }) =>
  updateEndpoint({ ownerId: owner.id, id: params.id, input: body }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
