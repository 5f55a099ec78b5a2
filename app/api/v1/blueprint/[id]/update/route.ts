import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { updateBlueprintSchema } from "@/lib/blueprints/schema";
import { updateBlueprint } from "@/lib/blueprints/service";

// POST /api/v1/blueprint/{id}/update - change some of a blueprint's fields
export const POST = apiRoute({ body: updateBlueprintSchema }, ({ params, body, owner }) =>
  updateBlueprint({ ownerId: owner.id, id: params.id, input: body }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
