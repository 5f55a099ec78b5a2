import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { eventStats } from "@/lib/stats/service";

// GET /api/v1/integration/trigger/{id}/event/stats - events per hour over 24 hours and per day over 30 days, by status, with latency and tokens
export const GET = apiRoute({}, ({ params, owner }) =>
  eventStats({ ownerId: owner.id, triggerId: params.id }),
);

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
