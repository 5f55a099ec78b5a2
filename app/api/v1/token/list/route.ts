import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { listTokens } from "@/lib/api-tokens";

// GET /api/v1/token/list - the caller's API tokens (never the tokens themselves)
export const GET = apiRoute({}, ({ owner }) => listTokens({ ownerId: owner.id }));

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
