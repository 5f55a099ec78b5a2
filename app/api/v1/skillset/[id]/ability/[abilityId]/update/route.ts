import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { updateAbilitySchema } from "@/lib/skillsets/schema";
import { updateAbility } from "@/lib/skillsets/service";

// POST /api/v1/skillset/{id}/ability/{abilityId}/update - change an ability
export const POST = apiRoute({ body: updateAbilitySchema }, ({ params, body, owner }) =>
  updateAbility({ ownerId: owner.id, skillsetId: params.id, id: params.abilityId, input: body }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
