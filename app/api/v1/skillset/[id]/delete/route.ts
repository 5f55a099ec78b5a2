import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { deleteSkillset } from "@/lib/skillsets/service";

// POST /api/v1/skillset/{id}/delete - delete a skillset
export const POST = apiRoute({}, ({ params, owner }) =>
  deleteSkillset({ ownerId: owner.id, id: params.id }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
