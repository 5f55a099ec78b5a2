import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { deleteConversation } from "@/lib/conversations/service";

// POST /api/v1/conversation/{id}/delete - delete a conversation and its messages
export const POST = apiRoute({}, ({ params, owner }) =>
  deleteConversation({ ownerId: owner.id, id: params.id }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
