import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { deleteAbility } from "@/lib/skillsets/service";

// POST /api/v1/skillset/{id}/ability/{abilityId}/delete - remove an ability
export const POST = apiRoute({}, ({ params, owner }) =>
  deleteAbility({ ownerId: owner.id, skillsetId: params.id, id: params.abilityId }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
