import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { availableModels } from "@/lib/models";

// GET /api/v1/model/list - the models bots can use on this server (echo plus configured providers)
export const GET = apiRoute({}, () => availableModels());

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
