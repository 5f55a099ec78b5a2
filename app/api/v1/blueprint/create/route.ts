import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { createBlueprintSchema } from "@/lib/blueprints/schema";
import { createBlueprint } from "@/lib/blueprints/service";

// POST /api/v1/blueprint/create - create a blueprint
export const POST = apiRoute({ body: createBlueprintSchema }, ({ body, owner }) =>
  createBlueprint({ ownerId: owner.id, input: body }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
