import { dryRunSchema } from "@/lib/dry-runs/schema";
import { dryRunEvent } from "@/lib/dry-runs/service";
import { apiRoute, methodNotAllowed } from "@/lib/http/route";

// POST /api/v1/integration/trigger/{id}/event/{eventId}/dry-run - run the bot again on the stored
// event with optional overrides, every ability call answered from the original run's recordings;
// nothing is sent and the event is untouched. The result is kept for 7 days.
export const POST = apiRoute({ body: dryRunSchema }, ({ req, params, body, owner }) =>
  dryRunEvent({
    ownerId: owner.id,
    triggerId: params.id,
    eventId: params.eventId,
    overrides: body,
    signal: req.signal,
  }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
