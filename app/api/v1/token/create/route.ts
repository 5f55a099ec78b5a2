import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { createTokenSchema } from "@/lib/api-tokens/schema";
import { createToken } from "@/lib/api-tokens";

// POST /api/v1/token/create - create an API token (shown only here); needs a recent sign-in or the password
export const POST = apiRoute({ body: createTokenSchema, recentAuth: true }, ({ body, owner }) =>
  createToken({ ownerId: owner.id, name: body.name, expiresInDays: body.expiresInDays }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
