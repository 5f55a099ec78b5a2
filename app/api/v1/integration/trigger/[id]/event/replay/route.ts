import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { bulkReplaySchema } from "@/lib/events/schema";
import { replayEvents } from "@/lib/events/service";

// POST /api/v1/integration/trigger/{id}/event/replay - replay up to 1,000 events with a status
export const POST = apiRoute({ body: bulkReplaySchema }, ({ params, owner, body }) =>
  replayEvents({ ownerId: owner.id, triggerId: params.id, input: body }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
