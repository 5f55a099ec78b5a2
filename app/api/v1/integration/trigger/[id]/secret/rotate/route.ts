import { apiRoute, methodNotAllowed } from "@/lib/api/route";
import { rotateTriggerSecret } from "@/lib/triggers/service";

// POST /api/v1/integration/trigger/{id}/secret/rotate - new secret; the old one works for the grace period
export const POST = apiRoute({}, ({ params, owner }) =>
  rotateTriggerSecret({ ownerId: owner.id, id: params.id }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
