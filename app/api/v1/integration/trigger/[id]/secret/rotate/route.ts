import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { rotateSecretSchema } from "@/lib/triggers/schema";
import { rotateTriggerSecret } from "@/lib/triggers/secret";

// POST /api/v1/integration/trigger/{id}/secret/rotate - new secret; the old one works for the grace period unless revokePrevious
export const POST = apiRoute({ body: rotateSecretSchema }, ({ params, owner, body }) =>
  rotateTriggerSecret({ ownerId: owner.id, id: params.id, revokePrevious: body.revokePrevious }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
