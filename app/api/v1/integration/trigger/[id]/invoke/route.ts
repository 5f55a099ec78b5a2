import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { invokeTriggerSchema } from "@/lib/triggers/schema";
import { invokeTrigger } from "@/lib/triggers/service";

// POST /api/v1/integration/trigger/{id}/invoke - queue a manual run now
export const POST = apiRoute({ body: invokeTriggerSchema }, ({ params, body, owner }) =>
  invokeTrigger({ ownerId: owner.id, id: params.id, payload: body }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
