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
 * A failed save as messages for a form: each 422 issue at the field the form
 * shows (`rename` maps a server path to a form field), and anything else (an
 * issue on a field the form does not render, any other error) as `form`, so
 * no error of the server's goes unshown.
 */
export function formErrors(
  error: unknown,
  fields: readonly string[],
  rename: (path: string) => string = (path) => path,
): Record<string, string> {
  if (!(error instanceof ApiClientError) || !error.issues?.length)
    return { form: error instanceof Error ? error.message : "Could not save" };
  const out: Record<string, string> = {};
  const elsewhere: string[] = [];
  for (const issue of error.issues) {
    const field = rename(issue.path);
    if (fields.includes(field)) out[field] ??= issue.message;
    else elsewhere.push(`${issue.path}: ${issue.message}`);
  }
  if (elsewhere.length) out.form = `${error.message} (${elsewhere.join("; ")})`;
  return out;
}
