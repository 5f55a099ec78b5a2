import { listWithBlueprintQuerySchema } from "@/lib/core/list-query";
import { listResponse } from "@/lib/http/list-response";
import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { listBots } from "@/lib/bots/service";

// GET /api/v1/bot/list - the caller's bots, a page at a time or all as JSONL
export const GET = apiRoute({ query: listWithBlueprintQuerySchema }, ({ req, query, owner }) =>
  listResponse(req, query, (q) => listBots({ ownerId: owner.id, query: { ...query, ...q } })),
);

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
