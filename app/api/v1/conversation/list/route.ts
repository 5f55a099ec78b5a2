import { listResponse } from "@/lib/http/list-response";
import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { listConversations, listConversationsQuerySchema } from "@/lib/conversations/service";

// GET /api/v1/conversation/list - conversations, filterable by triggerId, botId and contactId
export const GET = apiRoute({ query: listConversationsQuerySchema }, ({ req, query, owner }) =>
  listResponse(req, query, (q) =>
    listConversations({ ownerId: owner.id, query: { ...query, ...q } }),
  ),
);

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
