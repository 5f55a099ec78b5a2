import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { fetchBot } from "@/lib/bots/service";

// GET /api/v1/bot/{id}/fetch - one bot
export const GET = apiRoute({}, ({ params, owner }) =>
  fetchBot({ ownerId: owner.id, id: params.id }),
);

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
