import "server-only";
import { clientAddress } from "@/lib/core/client-address";
import { errorResponse } from "@/lib/core/errors";
import { handlers } from "@/lib/auth";
import { peekBuckets, signInBuckets } from "./throttle";
import { tooManyAttempts } from "./users";

/**
 * Auth.js answers a refused credentials sign-in with a redirect to the sign-in
 * page; a throttled one is turned into what a script can act on: 429 with
 * Retry-After and the usual `{message, code}`.
 */
export async function authPost(req: Request): Promise<Response> {
  const form = new URL(req.url).pathname.endsWith("/callback/credentials")
    ? await req
        .clone()
        .formData()
        .catch(() => null)
    : null;
  const res = await handlers.POST(req as Parameters<typeof handlers.POST>[0]);
  const location = res.headers.get("location") ?? "";
  if (!form || !/[?&]code=rate_limited\b/.test(location)) return res;
  const email = String(form.get("email") ?? "");
  const state = await peekBuckets(signInBuckets(clientAddress(req.headers), email));
  return errorResponse(tooManyAttempts(state.ok ? 60 : state.retryAfterSeconds));
}
