import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { createEndpointSchema } from "@/lib/outbox/schema";
import { createEndpoint } from "@/lib/outbox/endpoints";

// POST /api/v1/notification/endpoint/create - a webhook for what happens to the triggers; {id, secret} (the secret shown once)
export const POST = apiRoute({ body: createEndpointSchema }, ({ body, owner }) =>
  createEndpoint({ ownerId: owner.id, input: body }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
