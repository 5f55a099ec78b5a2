import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { fetchAbility } from "@/lib/skillsets/service";

// GET /api/v1/skillset/{id}/ability/{abilityId}/fetch - one ability
export const GET = apiRoute({}, ({ params, owner }) =>
  fetchAbility({ ownerId: owner.id, skillsetId: params.id, id: params.abilityId }),
);

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
