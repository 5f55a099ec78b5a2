import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { revokePreviousSecret } from "@/lib/triggers/secret";

// POST /api/v1/integration/trigger/{id}/secret/revoke-previous - the rotated-out secret stops working now
export const POST = apiRoute({}, ({ params, owner }) =>
  revokePreviousSecret({ ownerId: owner.id, id: params.id }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
