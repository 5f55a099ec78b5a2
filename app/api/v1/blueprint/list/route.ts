import { listWithMetaQuerySchema } from "@/lib/core/list-query";
import { listResponse } from "@/lib/http/list-response";
import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { listBlueprints } from "@/lib/blueprints/service";

// GET /api/v1/blueprint/list - the caller's blueprints, a page at a time or all as JSONL
export const GET = apiRoute({ query: listWithMetaQuerySchema }, ({ req, query, owner }) =>
  listResponse(req, query, (q) => listBlueprints({ ownerId: owner.id, query: { ...query, ...q } })),
);

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
