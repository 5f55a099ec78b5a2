import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { createBotSchema } from "@/lib/bots/schema";
import { createBot } from "@/lib/bots/service";

// POST /api/v1/bot/create - create a bot
export const POST = apiRoute({ body: createBotSchema }, ({ body, owner }) =>
  createBot({ ownerId: owner.id, input: body }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
