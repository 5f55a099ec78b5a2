import { runTestsSchema } from "@/lib/dry-runs/schema";
import { runTests } from "@/lib/dry-runs/service";
import { apiRoute, methodNotAllowed } from "@/lib/http/route";

// POST /api/v1/integration/trigger/{id}/test/run - every test case (or caseIds) as a dry run
// against the current configuration with optional overrides; pass or fail per expectation
export const POST = apiRoute({ body: runTestsSchema }, ({ req, params, body, owner }) =>
  runTests({ ownerId: owner.id, triggerId: params.id, input: body, signal: req.signal }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
