import { listWithMetaQuerySchema } from "@/lib/core/list-query";
import { listResponse } from "@/lib/http/list-response";
import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { listAbilities } from "@/lib/skillsets/service";

// GET /api/v1/skillset/{id}/ability/list - a skillset's abilities
export const GET = apiRoute({ query: listWithMetaQuerySchema }, ({ req, params, query, owner }) =>
  listResponse(req, query, (q) =>
    listAbilities({ ownerId: owner.id, skillsetId: params.id, query: q }),
  ),
);

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
