import { listResponse } from "@/lib/http/list-response";
import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { listTriggersQuerySchema } from "@/lib/triggers/schema";
import { listTriggers } from "@/lib/triggers/service";

// GET /api/v1/integration/trigger/list - the caller's triggers, a page at a time or all as JSONL
export const GET = apiRoute({ query: listTriggersQuerySchema }, ({ req, query, owner, baseUrl }) =>
  listResponse(req, query, (q) =>
    listTriggers({ ownerId: owner.id, query: { ...query, ...q }, baseUrl }),
  ),
);

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
