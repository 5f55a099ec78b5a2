import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { updateSkillsetSchema } from "@/lib/skillsets/schema";
import { updateSkillset } from "@/lib/skillsets/service";

// POST /api/v1/skillset/{id}/update - change some of a skillset's fields
export const POST = apiRoute({ body: updateSkillsetSchema }, ({ params, body, owner }) =>
  updateSkillset({ ownerId: owner.id, id: params.id, input: body }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
