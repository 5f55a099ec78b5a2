export type ApiIssue = { path: string; message: string };

/** The server's `{message, code}` as a typed error, so the UI can show the server's words. */
export class ApiClientError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
    readonly issues?: ApiIssue[],
  ) {
    super(message);
    this.name = "ApiClientError";
  }
}

export async function apiFetch<T = unknown>(
  path: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const res = await fetch(path, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: init.body === undefined ? undefined : { "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
    credentials: "same-origin",
  });
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    throw new ApiClientError(
      data?.message ?? `Request failed with status ${res.status}`,
      data?.code ?? "UNKNOWN",
      res.status,
      data?.issues,
    );
  }
  return data as T;
}

/**
 * Issues (from the schema check in the browser or a 422) as messages for a
 * form: each under the field it belongs to (`rename` maps an API path to a
 * form field; an issue deeper than a field, such as `headers.X Bad`, belongs
 * to that field), and everything else in `form` with its path, so no issue
 * goes unshown.
 */
export function placeIssues(
  issues: readonly ApiIssue[],
  fields: readonly string[],
  rename: (path: string) => string = (path) => path,
): Record<string, string> {
  const out: Record<string, string> = {};
  const elsewhere: string[] = [];
  for (const issue of issues) {
    const path = issue.path ? rename(issue.path) : "";
    const field = path && fields.find((f) => path === f || path.startsWith(`${f}.`));
    if (field) out[field] ??= issue.message;
    else elsewhere.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message);
  }
  if (elsewhere.length) out.form = elsewhere.join("; ");
  return out;
}

/** A failed save as the issues it names (a 422) or, for any other failure, one message. */
export function serverIssues(error: unknown): { issues: ApiIssue[]; message?: string } {
  if (error instanceof ApiClientError && error.issues?.length) return { issues: error.issues };
  return { issues: [], message: error instanceof Error ? error.message : "Could not save" };
}
