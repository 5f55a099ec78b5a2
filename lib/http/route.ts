import "server-only";
import type { z } from "zod";
import { auth } from "@/lib/auth";
import { assertRecentAuth } from "@/lib/auth/reauth";
import { bodyLimitFor } from "@/lib/core/body";
import { clientAddress } from "@/lib/core/client-address";
import { env } from "@/lib/core/env";
import { resolveToken } from "@/lib/api-tokens";
import { isStorableText, parseQuery, readJsonBody } from "@/lib/core/body";
import { log } from "@/lib/observability/log";
import { ApiError, errorResponse, toApiError, validationError } from "@/lib/core/errors";
import { publicBaseUrl } from "./url";

export type Owner = {
  id: string;
  via: "token" | "session";
  /** A session's sign-in time (ms since the epoch); unknown for tokens and older sessions. */
  signedInAt?: number;
};

type Params = Record<string, string>;

type Options<B extends z.ZodType | undefined, Q extends z.ZodType | undefined> = {
  body?: B;
  query?: Q;
  /** false: the handler authenticates the caller itself (event endpoint, sign-up). */
  auth?: boolean;
  /**
   * The caller must have signed in within the last 10 minutes or send the
   * account's password as the body's `password` (lib/auth/reauth.ts).
   */
  recentAuth?: boolean;
};

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;

type Context<B, Q, A> = {
  req: Request;
  url: URL;
  /** Absolute base for links we hand out (eventUrl). */
  baseUrl: string;
  params: Params;
  body: B;
  query: Q;
  owner: A extends false ? null : Owner;
};

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

/**
 * The one wrapper for API handlers: resolves the caller (API token or session
 * cookie), awaits params, validates body and query with zod and turns anything
 * thrown into `{message, code}` with the status from the error table.
 */
export function apiRoute<
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  A extends boolean = true,
>(
  options: Options<B, Q> & { auth?: A },
  handler: (ctx: Context<Infer<B>, Infer<Q>, A>) => Promise<unknown> | unknown,
) {
  return async (req: Request, routeCtx?: RouteContext): Promise<Response> => {
    try {
      const url = new URL(req.url);
      const params = Object.fromEntries(
        Object.entries((await routeCtx?.params) ?? {}).map(([k, v]) => [k, String(v ?? "")]),
      );
      // An id no row can have (NUL, broken UTF-16) is simply not found.
      if (!Object.values(params).every(isStorableText))
        throw new ApiError("NOT_FOUND", "Not found");
      const owner = options.auth === false ? null : await resolveOwner(req, url);
      const query = options.query ? parseWith(options.query, parseQuery(url), "query") : undefined;
      const body = options.body
        ? parseWith(options.body, await readJsonBody(req, bodyLimitFor(url.pathname)), "body")
        : undefined;
      if (options.recentAuth && owner)
        await assertRecentAuth({
          userId: owner.id,
          signedInAt: owner.signedInAt,
          password: (body as { password?: string } | undefined)?.password,
          address: clientAddress(req.headers),
        });
      const result = await handler({
        req,
        url,
        // worked out only by the handlers that hand out links (not on the event endpoint's path)
        get baseUrl() {
          return publicBaseUrl(req);
        },
        params,
        body,
        query,
        owner,
      } as Context<Infer<B>, Infer<Q>, A>);
      return result instanceof Response ? result : Response.json(result);
    } catch (error) {
      const answer = toApiError(error);
      logFailedRequest(req, answer);
      return errorResponse(answer);
    }
  };
}

/** One line per failed request: what was asked and how it was answered, never its body or headers. */
function logFailedRequest(req: Request, error: ApiError) {
  const logger = log();
  const level = error.status >= 500 ? "error" : "info";
  if (!logger.isLevelEnabled(level)) return;
  logger[level](
    {
      method: req.method,
      path: new URL(req.url).pathname,
      status: error.status,
      code: error.code,
    },
    `request failed: ${error.message}`,
  );
}

function parseWith<T extends z.ZodType>(
  schema: T,
  input: unknown,
  where: "body" | "query",
): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, where);
  return parsed.data;
}

async function resolveOwner(req: Request, url: URL): Promise<Owner> {
  const header = req.headers.get("authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    const ownerId = match ? await resolveToken(match[1]) : null;
    if (!ownerId) throw new ApiError("UNAUTHORIZED", "Invalid or revoked API token");
    return { id: ownerId, via: "token" };
  }
  const session = await auth();
  if (!session?.user?.id) {
    throw new ApiError(
      "UNAUTHORIZED",
      "Authentication required: send Authorization: Bearer <API token>",
    );
  }
  if (!["GET", "HEAD", "OPTIONS"].includes(req.method)) assertSameOrigin(req, url);
  return { id: session.user.id, via: "session", signedInAt: session.signedInAt };
}

/** Cookie-authenticated writes must come from our own pages (CSRF). */
function assertSameOrigin(req: Request, url: URL) {
  const origin = req.headers.get("origin");
  const allowed = new Set<string>([url.origin]);
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  if (host) {
    const proto = req.headers.get("x-forwarded-proto") ?? url.protocol.replace(":", "");
    allowed.add(`${proto}://${host}`);
  }
  const appUrl = env().APP_URL;
  if (appUrl) allowed.add(new URL(appUrl).origin);
  if (!origin || !allowed.has(origin)) {
    throw new ApiError(
      "FORBIDDEN",
      "Cross-origin request refused: the Origin header does not match this site",
    );
  }
}

/** For the verbs a route does not define: a JSON 405 instead of Next.js's empty one. */
export const methodNotAllowed = apiRoute({ auth: false }, ({ req }) => {
  throw new ApiError("METHOD_NOT_ALLOWED", `${req.method} is not allowed on this route`);
});
