import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { deleteEndpoint } from "@/lib/outbox/endpoints";

// POST /api/v1/notification/endpoint/{id}/delete - the endpoint and its delivery log
export const POST = apiRoute({}, ({ params, owner }) =>
  deleteEndpoint({ ownerId: owner.id, id: params.id }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
