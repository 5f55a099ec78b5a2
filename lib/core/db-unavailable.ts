// No imports: the database client (db/connect.ts) and the command-line tools load this outside
// Next.js, where the server-only modules (the logger) cannot be loaded.

/** Connection failures of postgres.js and the OS: the database is unreachable, not our bug. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let e: unknown = error;
  while (e && typeof e === "object" && !seen.has(e)) {
    seen.add(e);
    const code = (e as { code?: unknown }).code;
    if (
      typeof code === "string" &&
      [
        "ECONNREFUSED",
        "ECONNRESET",
        "ETIMEDOUT",
        "EPIPE",
        "ENOTFOUND",
        "CONNECT_TIMEOUT",
        "CONNECTION_CLOSED",
        "CONNECTION_ENDED",
        "CONNECTION_DESTROYED",
        "57P01",
        "57P03",
        "53300",
        "57014", // query_canceled: our statement_timeout ended it (db/connect.ts)
      ].includes(code)
    )
      return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
