import { listWithoutMetaQuerySchema } from "@/lib/core/list-query";
import { listDryRuns } from "@/lib/dry-runs/service";
import { listResponse } from "@/lib/http/list-response";
import { apiRoute, methodNotAllowed } from "@/lib/http/route";

// GET /api/v1/integration/trigger/{id}/event/{eventId}/dry-run/list - the event's dry runs of the last 7 days
export const GET = apiRoute(
  { query: listWithoutMetaQuerySchema },
  ({ req, params, query, owner }) =>
    listResponse(req, query, (q) =>
      listDryRuns({
        ownerId: owner.id,
        triggerId: params.id,
        eventId: params.eventId,
        query: { ...query, ...q },
      }),
    ),
);

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
