import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { sendTestEvent } from "@/lib/triggers/test-event";
import { testEventSchema } from "@/lib/events/schema";

// POST /api/v1/integration/trigger/{id}/test-event - send a body signed as the trigger's sender would
export const POST = apiRoute({ body: testEventSchema }, ({ params, owner, body, baseUrl }) =>
  sendTestEvent({ ownerId: owner.id, id: params.id, ...body, baseUrl }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
