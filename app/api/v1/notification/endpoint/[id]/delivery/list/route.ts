import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { listWithoutMetaQuerySchema } from "@/lib/core/list-query";
import { listResponse } from "@/lib/http/list-response";
import { listDeliveries } from "@/lib/outbox/endpoints";

// GET /api/v1/notification/endpoint/{id}/delivery/list - the endpoint's deliveries, newest first (status, code, attempts)
export const GET = apiRoute(
  { query: listWithoutMetaQuerySchema },
  ({ req, query, params, owner }) =>
    listResponse(req, query, (q) =>
      listDeliveries({ ownerId: owner.id, id: params.id, query: { ...query, ...q } }),
    ),
);

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
