import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { createSkillsetSchema } from "@/lib/skillsets/schema";
import { createSkillset } from "@/lib/skillsets/service";

// POST /api/v1/skillset/create - create a skillset
export const POST = apiRoute({ body: createSkillsetSchema }, ({ body, owner }) =>
  createSkillset({ ownerId: owner.id, input: body }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
