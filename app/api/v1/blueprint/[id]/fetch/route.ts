import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { fetchBlueprint } from "@/lib/blueprints/service";

// GET /api/v1/blueprint/{id}/fetch - one blueprint
export const GET = apiRoute({}, ({ params, owner }) =>
  fetchBlueprint({ ownerId: owner.id, id: params.id }),
);

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
