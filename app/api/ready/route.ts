import { apiRoute } from "@/lib/api/route";
import { readiness } from "@/lib/jobs/readiness";

// GET /api/ready - 200 when this server should get traffic: the database answers, not draining
export const GET = apiRoute({ auth: false }, async () => {
  const { ready, body } = await readiness();
  return Response.json(body, { status: ready ? 200 : 503 });
});
