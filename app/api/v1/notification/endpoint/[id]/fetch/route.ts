import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { fetchEndpoint } from "@/lib/outbox/endpoints";

// GET /api/v1/notification/endpoint/{id}/fetch - one endpoint (never its secret)
export const GET = apiRoute({}, ({ params, owner }) =>
  fetchEndpoint({ ownerId: owner.id, id: params.id }),
);

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
