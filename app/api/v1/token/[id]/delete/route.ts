import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { deleteToken } from "@/lib/api-tokens";

// POST /api/v1/token/{id}/delete - revoke an API token
export const POST = apiRoute({}, ({ params, owner }) =>
  deleteToken({ id: params.id, ownerId: owner.id }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
