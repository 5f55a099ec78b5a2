import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { pauseTrigger } from "@/lib/triggers/pause";

// POST /api/v1/integration/trigger/{id}/pause - keep storing events, run none (schedules included) until resumed
export const POST = apiRoute({}, ({ params, owner }) =>
  pauseTrigger({ ownerId: owner.id, id: params.id }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
