import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { updateBotSchema } from "@/lib/bots/schema";
import { updateBot } from "@/lib/bots/service";

// POST /api/v1/bot/{id}/update - change some of a bot's fields
export const POST = apiRoute({ body: updateBotSchema }, ({ params, body, owner }) =>
  updateBot({ ownerId: owner.id, id: params.id, input: body }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
