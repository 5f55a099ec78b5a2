import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { usageQuerySchema } from "@/lib/stats/schema";
import { triggerUsage } from "@/lib/stats/service";

// GET /api/v1/integration/trigger/{id}/usage?from&to - model tokens used, per day, and the budget
export const GET = apiRoute({ query: usageQuerySchema }, ({ params, query, owner }) =>
  triggerUsage({ ownerId: owner.id, triggerId: params.id, query }),
);

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
