import { NextRequest } from "next/server";
import { withBodyLimit } from "@/lib/http/body-limit";
import { handlers } from "@/lib/auth";
import { authPost } from "@/lib/auth/http";

const rebuilt = (req: NextRequest, body: Uint8Array | null) =>
  new NextRequest(req.url, { method: req.method, headers: req.headers, body: body as BodyInit });

// GET/POST /api/auth/* - Auth.js (sign-in, sign-out, session, CSRF); throttled sign-ins answer 429;
// bodies past the auth row of lib/api/body-limits.ts answer 413 before Auth.js reads them
export const GET = handlers.GET;
export const POST = withBodyLimit(authPost, rebuilt);
