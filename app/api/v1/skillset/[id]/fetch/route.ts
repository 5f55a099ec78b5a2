import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { fetchSkillset } from "@/lib/skillsets/service";

// GET /api/v1/skillset/{id}/fetch - one skillset
export const GET = apiRoute({}, ({ params, owner }) =>
  fetchSkillset({ ownerId: owner.id, id: params.id }),
);

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
