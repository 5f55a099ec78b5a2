import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { accountOverview } from "@/lib/stats/service";

// GET /api/v1/account/overview - totals, the triggers with failures first, the latest failures
export const GET = apiRoute({}, ({ owner }) => accountOverview({ ownerId: owner.id }));

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
