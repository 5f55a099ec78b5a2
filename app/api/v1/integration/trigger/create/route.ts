import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { createTriggerSchema } from "@/lib/triggers/schema";
import { createTrigger } from "@/lib/triggers/service";

// POST /api/v1/integration/trigger/create - create a trigger; the answer holds its secret and event URL
export const POST = apiRoute({ body: createTriggerSchema }, ({ body, owner, baseUrl }) =>
  createTrigger({ ownerId: owner.id, input: body, baseUrl }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
