import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { fetchContact } from "@/lib/conversations/service";

// GET /api/v1/contact/{id}/fetch - one contact
export const GET = apiRoute({}, ({ params, owner }) =>
  fetchContact({ ownerId: owner.id, id: params.id }),
);

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
