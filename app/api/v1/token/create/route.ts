import { apiRoute, methodNotAllowed } from "@/lib/api/route";
import { createTokenSchema } from "@/lib/tokens/schema";
import { createToken } from "@/lib/tokens";

// POST /api/v1/token/create - create an API token (the token is returned only here)
export const POST = apiRoute({ body: createTokenSchema }, ({ body, owner }) =>
  createToken({ ownerId: owner.id, name: body.name }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
