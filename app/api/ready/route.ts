import { apiRoute } from "@/lib/http/route";
import { readiness } from "@/lib/server/readiness";

// GET /api/ready - 200 when this server should get traffic: the database answers, not draining
export const GET = apiRoute({ auth: false }, async () => {
  const { ready, body } = await readiness();
  return Response.json(body, { status: ready ? 200 : 503 });
});
