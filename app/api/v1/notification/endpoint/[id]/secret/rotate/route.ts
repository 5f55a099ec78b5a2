import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { rotateEndpointSecret } from "@/lib/outbox/endpoints";

// POST /api/v1/notification/endpoint/{id}/secret/rotate - a new signing secret, shown once
export const POST = apiRoute({}, ({ params, owner }) =>
  rotateEndpointSecret({ ownerId: owner.id, id: params.id }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
