import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { resumeTrigger } from "@/lib/triggers/pause";

// POST /api/v1/integration/trigger/{id}/resume - run what was held, in order
export const POST = apiRoute({}, ({ params, owner }) =>
  resumeTrigger({ ownerId: owner.id, id: params.id }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
