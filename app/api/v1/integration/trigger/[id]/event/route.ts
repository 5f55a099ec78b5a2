import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { answerHandshake, ingestEvent } from "@/lib/events/ingest";

// POST /api/v1/integration/trigger/{id}/event - accept an event (any content type); 202 once it is stored
export const POST = apiRoute({ auth: false }, ({ params, req, url }) =>
  ingestEvent({ triggerId: params.id, req, url }),
);

// OPTIONS - the CloudEvents webhook handshake (WebHook-Request-Origin -> WebHook-Allowed-Origin)
export const OPTIONS = apiRoute({ auth: false }, ({ params, req }) =>
  answerHandshake({ triggerId: params.id, req }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
