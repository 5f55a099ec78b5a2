import { openApiDocument } from "@/lib/http/openapi";
import { apiRoute, methodNotAllowed } from "@/lib/http/route";

// GET /api/v1/openapi.json - the OpenAPI 3.1 document, generated from the routes' zod schemas
export const GET = apiRoute({ auth: false }, () => openApiDocument());

export {
  methodNotAllowed as POST,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
