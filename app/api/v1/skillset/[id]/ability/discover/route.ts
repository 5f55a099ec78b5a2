import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { discoverToolsSchema } from "@/lib/skillsets/schema";
import { previewServerTools } from "@/lib/skillsets/service";

// POST /api/v1/skillset/{id}/ability/discover - an MCP server's tools, nothing saved ("Test connection")
export const POST = apiRoute({ body: discoverToolsSchema }, ({ params, body, owner }) =>
  previewServerTools({ ownerId: owner.id, skillsetId: params.id, config: body.config }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
