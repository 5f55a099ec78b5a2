import { listWithMetaQuerySchema } from "@/lib/core/list-query";
import { listResponse } from "@/lib/http/list-response";
import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { listContacts } from "@/lib/conversations/service";

// GET /api/v1/contact/list - contacts that events named (contact.email, contact.phone)
export const GET = apiRoute({ query: listWithMetaQuerySchema }, ({ req, query, owner }) =>
  listResponse(req, query, (q) => listContacts({ ownerId: owner.id, query: q })),
);

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
