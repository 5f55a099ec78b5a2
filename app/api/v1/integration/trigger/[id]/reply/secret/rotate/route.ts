import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { rotateReplySecret } from "@/lib/triggers/service";

// POST /api/v1/integration/trigger/{id}/reply/secret/rotate - a callback reply's new signing secret (shown once)
export const POST = apiRoute({}, ({ params, owner }) =>
  rotateReplySecret({ ownerId: owner.id, id: params.id }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
