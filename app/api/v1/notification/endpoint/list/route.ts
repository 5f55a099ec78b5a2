import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { listWithoutMetaQuerySchema } from "@/lib/core/list-query";
import { listResponse } from "@/lib/http/list-response";
import { listEndpoints } from "@/lib/outbox/endpoints";

// GET /api/v1/notification/endpoint/list - the account's notification endpoints
export const GET = apiRoute({ query: listWithoutMetaQuerySchema }, ({ req, query, owner }) =>
  listResponse(req, query, (q) => listEndpoints({ ownerId: owner.id, query: { ...query, ...q } })),
);

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
