import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { deleteBot } from "@/lib/bots/service";

// POST /api/v1/bot/{id}/delete - delete a bot
export const POST = apiRoute({}, ({ params, owner }) =>
  deleteBot({ ownerId: owner.id, id: params.id }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
