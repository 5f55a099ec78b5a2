import { ApiError } from "@/lib/core/errors";
import { bodyLimitFor, readBodyLimited } from "@/lib/core/body";

/**
 * For handlers that read the body themselves (Auth.js, Inngest): the body is
 * read here within its limit (413 past it) and handed on as a new request.
 */
export function withBodyLimit<R extends Request, A extends unknown[]>(
  handler: (req: R, ...rest: A) => Promise<Response>,
  make: (req: R, body: Uint8Array | null) => R,
) {
  return async (req: R, ...rest: A): Promise<Response> => {
    if (req.method === "GET" || req.method === "HEAD") return handler(req, ...rest);
    let body: Uint8Array;
    try {
      body = await readBodyLimited(req, bodyLimitFor(new URL(req.url).pathname));
    } catch (error) {
      if (error instanceof ApiError)
        return Response.json(
          { message: error.message, code: error.code },
          { status: error.status },
        );
      throw error;
    }
    return handler(make(req, body.byteLength ? body : null), ...rest);
  };
}
