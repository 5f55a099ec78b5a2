import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { fetchTrigger } from "@/lib/triggers/service";

// GET /api/v1/integration/trigger/{id}/fetch - the full trigger record, secret included
export const GET = apiRoute({}, ({ params, owner, baseUrl }) =>
  fetchTrigger({ ownerId: owner.id, id: params.id, baseUrl }),
);

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
