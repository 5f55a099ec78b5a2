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
