import { ApiError } from "./errors";
import { MiB, readBodyLimited } from "./body";

const KiB = 1024;

/**
 * The most a request body may hold, per route, in one table: a body past its
 * limit is answered 413 as soon as its declared length (or, when it is sent in
 * chunks, the bytes read so far) passes it, without reading the rest.
 * Most specific prefix first; every route not listed gets the last row.
 */
export const BODY_LIMITS: readonly { prefix: string; bytes: number; what: string }[] = [
  { prefix: "/api/auth/", bytes: 16 * KiB, what: "sign-in, sign-out and sign-up forms" },
  { prefix: "/api/inngest", bytes: 4 * MiB, what: "Inngest's calls (a run's step results)" },
  { prefix: "/api/v1/", bytes: MiB, what: "the REST API and the event endpoint" },
  { prefix: "/", bytes: MiB, what: "anything else" },
];

export function bodyLimitFor(pathname: string): number {
  return BODY_LIMITS.find((l) => pathname.startsWith(l.prefix))!.bytes;
}

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
