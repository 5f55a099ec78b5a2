import { listWithoutMetaQuerySchema } from "@/lib/core/list-query";
import { listResponse } from "@/lib/http/list-response";
import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { listMessages } from "@/lib/conversations/service";

// GET /api/v1/conversation/{id}/message/list - a conversation's messages (user, activity, bot)
export const GET = apiRoute(
  { query: listWithoutMetaQuerySchema },
  ({ req, params, query, owner }) =>
    listResponse(req, query, (q) =>
      listMessages({ ownerId: owner.id, conversationId: params.id, query: q }),
    ),
);

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
