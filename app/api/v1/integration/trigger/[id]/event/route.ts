import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { ingestEvent } from "@/lib/events/ingest";

// POST /api/v1/integration/trigger/{id}/event - accept an event (any content type); 202 once it is stored
export const POST = apiRoute({ auth: false }, ({ params, req, url }) =>
  ingestEvent({ triggerId: params.id, req, url }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
