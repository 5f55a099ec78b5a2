import { apiRoute, methodNotAllowed } from "@/lib/api/route";
import { eventStats } from "@/lib/events/service";

// GET /api/v1/integration/trigger/{id}/event/stats - events per hour over the last 24 hours
export const GET = apiRoute({}, ({ params, owner }) =>
  eventStats({ ownerId: owner.id, triggerId: params.id }),
);

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
