import { timingSafeEqual } from "node:crypto";
import { ApiError, errorResponse } from "@/lib/core/errors";
import { env } from "@/lib/core/env";
import { metrics } from "@/lib/observability/metrics";

export const dynamic = "force-dynamic";

function same(a: string, b: string) {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}

// GET /api/metrics - Prometheus text format; off unless METRICS_TOKEN is set (then Bearer METRICS_TOKEN)
export async function GET(req: Request) {
  const token = env().METRICS_TOKEN;
  if (!token) return errorResponse(new ApiError("NOT_FOUND", "Metrics are off: set METRICS_TOKEN"));
  const sent = req.headers.get("authorization")?.match(/^Bearer\s+(.+)$/i)?.[1] ?? "";
  if (!same(sent, token))
    return errorResponse(
      new ApiError("UNAUTHORIZED", "Send Authorization: Bearer <METRICS_TOKEN>", {
        headers: { "WWW-Authenticate": 'Bearer realm="metrics"' },
      }),
    );
  const { registry } = metrics();
  return new Response(await registry.metrics(), {
    headers: { "content-type": registry.contentType, "cache-control": "no-store" },
  });
}
