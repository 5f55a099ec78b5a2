import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { deleteTrigger } from "@/lib/triggers/service";

// POST /api/v1/integration/trigger/{id}/delete - delete a trigger; its conversations and bot remain
export const POST = apiRoute({}, ({ params, owner }) =>
  deleteTrigger({ ownerId: owner.id, id: params.id }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
