import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { deleteBlueprint } from "@/lib/blueprints/service";

// POST /api/v1/blueprint/{id}/delete - delete a blueprint
export const POST = apiRoute({}, ({ params, owner }) =>
  deleteBlueprint({ ownerId: owner.id, id: params.id }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
