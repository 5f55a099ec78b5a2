import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { setupTrigger } from "@/lib/triggers/service";

// POST /api/v1/integration/trigger/{id}/setup - validate the trigger and recompute its schedule (idempotent)
export const POST = apiRoute({}, ({ params, owner }) =>
  setupTrigger({ ownerId: owner.id, id: params.id }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
