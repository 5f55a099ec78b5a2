import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { updateTriggerSchema } from "@/lib/triggers/schema";
import { updateTrigger } from "@/lib/triggers/service";

// POST /api/v1/integration/trigger/{id}/update - change some of a trigger's fields
export const POST = apiRoute({ body: updateTriggerSchema }, ({ params, body, owner }) =>
  updateTrigger({ ownerId: owner.id, id: params.id, input: body }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
