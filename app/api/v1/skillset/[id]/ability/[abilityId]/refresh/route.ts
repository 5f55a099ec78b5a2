import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { refreshAbilityTools } from "@/lib/skillsets/service";

// POST /api/v1/skillset/{id}/ability/{abilityId}/refresh - ask an MCP server for its tools again
export const POST = apiRoute({}, ({ params, owner }) =>
  refreshAbilityTools({ ownerId: owner.id, skillsetId: params.id, id: params.abilityId }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
