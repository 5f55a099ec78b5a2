import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { previewFilter } from "@/lib/triggers/filter-preview";
import { filterPreviewSchema } from "@/lib/events/schema";

// POST /api/v1/integration/trigger/{id}/filter/preview - how a filter decides on the last 20 events
export const POST = apiRoute({ body: filterPreviewSchema }, ({ params, owner, body }) =>
  previewFilter({ ownerId: owner.id, id: params.id, filter: body.filter }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
