import { NextRequest } from "next/server";
import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";
import { withBodyLimit } from "@/lib/http/body-limit";
import { env } from "@/lib/core/env";

// serveOrigin from APP_URL: the URL Inngest is told to call never comes from a request's Host header
const handler = serve({ client: inngest, functions, serveOrigin: env().APP_URL });

const rebuilt = (req: NextRequest, body: Uint8Array | null) =>
  new NextRequest(req.url, { method: req.method, headers: req.headers, body: body as BodyInit });

/**
 * In production a sync must be signed (Inngest's in-band sync): an unsigned PUT would make this
 * server register itself with Inngest whenever anyone asked. Introspection (GET) is refused
 * unsigned by the SDK itself in cloud mode.
 */
async function put(req: NextRequest, ctx: unknown) {
  if (env().NODE_ENV === "production" && !req.headers.get("x-inngest-signature"))
    return Response.json(
      {
        message:
          "Unsigned sync refused: sync this app from the Inngest dashboard (a signed, in-band sync)",
        code: "UNAUTHORIZED",
      },
      { status: 401 },
    );
  return handler.PUT(req, ctx);
}

// GET/POST/PUT /api/inngest - Inngest registers (PUT) and calls (POST) the functions here
export const GET = handler.GET;
export const POST = withBodyLimit(
  handler.POST as (req: NextRequest, ctx: unknown) => Promise<Response>,
  rebuilt,
);
export const PUT = withBodyLimit(put, rebuilt);
