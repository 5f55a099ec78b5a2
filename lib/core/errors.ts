import { errorField, log } from "@/lib/observability/log";
import { isDatabaseUnavailable } from "./db-unavailable";
import type { z } from "zod";

export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  /** The caller must show the account's password again (or sign in again) first. */
  REAUTH_REQUIRED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  CONTENT_TOO_LARGE: 413,
  VALIDATION_ERROR: 422,
  RATE_LIMITED: 429,
  /** A server this one called for the request (an MCP server) failed or could not be reached. */
  UPSTREAM_ERROR: 502,
  INTERNAL_ERROR: 500,
  /** A stored secret needs a key this server was not given (APP_SECRET_PREVIOUS). */
  SERVER_MISCONFIGURED: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export type FieldIssue = { path: string; message: string };

/** The one error type the API throws; the route wrapper turns it into `{message, code}`. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { issues?: FieldIssue[]; headers?: Record<string, string> } & Record<
      string,
      unknown
    > = {},
  ) {
    super(message);
    this.name = "ApiError";
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  get issues(): FieldIssue[] | undefined {
    return this.extra.issues;
  }
}

/** A failure that retrying cannot fix (the bot is gone, the model is not configured). */
export class PermanentError extends Error {}

export const notFound = (what: string) => new ApiError("NOT_FOUND", `${what} not found`);

export function validationError(error: z.ZodError, where: "body" | "query" = "body"): ApiError {
  const issues = error.issues.map((i) => ({
    path: i.path.map(String).join(".") || where,
    message: i.message,
  }));
  const summary = issues
    .slice(0, 3)
    .map((i) => `${i.path}: ${i.message}`)
    .join("; ");
  return new ApiError("VALIDATION_ERROR", `Invalid ${where}: ${summary}`, { issues });
}

export function errorResponse(error: ApiError): Response {
  const { headers, ...extra } = error.extra;
  return Response.json(
    { message: error.message, code: error.code, ...extra },
    { status: error.status, headers },
  );
}

/** Whether an error (or one of its causes, as drizzle wraps driver errors) carries `code`. */
export function hasCode(error: unknown, code: string): boolean {
  for (
    let e = error, i = 0;
    e && typeof e === "object" && i < 10;
    e = (e as { cause?: unknown }).cause, i++
  ) {
    if ((e as { code?: unknown }).code === code) return true;
  }
  return false;
}

/** The unique constraint a driver error (or one of its causes) broke, if it is a unique violation. */
export function uniqueViolation(error: unknown): string | null {
  for (
    let e = error, i = 0;
    e && typeof e === "object" && i < 10;
    e = (e as { cause?: unknown }).cause, i++
  ) {
    const err = e as { code?: unknown; constraint_name?: unknown; constraint?: unknown };
    if (err.code === "23505") return String(err.constraint_name ?? err.constraint ?? "");
  }
  return null;
}

export { isDatabaseUnavailable };

/** Maps anything thrown to the one error shape; unknown errors are logged, never leaked. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  // an error from below this layer that knows how the API answers it (SecretKeyMissingError)
  const apiCode = (error as { apiCode?: unknown } | null)?.apiCode;
  if (error instanceof Error && typeof apiCode === "string" && apiCode in ERROR_STATUS)
    return new ApiError(apiCode as ErrorCode, error.message);
  if (isDatabaseUnavailable(error)) {
    return new ApiError("UNAVAILABLE", "The database is unavailable; try again shortly", {
      headers: { "Retry-After": "5" },
    });
  }
  log().error({ error: errorField(error) }, "unexpected error");
  return new ApiError("INTERNAL_ERROR", "Internal server error");
}

/**
 * Answers 503 if `work` has not finished in `ms`: a sender gets a clear "try
 * again" instead of a hung request when the database stops answering.
 * `onTimeout` withdraws what can still be withdrawn.
 */
export async function withDeadline<T>(
  work: Promise<T>,
  ms: number,
  onTimeout?: () => void,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(
        new ApiError("UNAVAILABLE", "The database did not answer in time; try again shortly", {
          headers: { "Retry-After": "5" },
        }),
      );
    }, ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
