import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { fetchConversation } from "@/lib/conversations/service";

// GET /api/v1/conversation/{id}/fetch - one conversation
export const GET = apiRoute({}, ({ params, owner }) =>
  fetchConversation({ ownerId: owner.id, id: params.id }),
);

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
