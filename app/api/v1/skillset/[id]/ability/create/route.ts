import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { createAbilitySchema } from "@/lib/skillsets/schema";
import { createAbility } from "@/lib/skillsets/service";

// POST /api/v1/skillset/{id}/ability/create - add an ability (a tool the bot can call) to a skillset
export const POST = apiRoute({ body: createAbilitySchema }, ({ params, body, owner }) =>
  createAbility({ ownerId: owner.id, skillsetId: params.id, input: body }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
