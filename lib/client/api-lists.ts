import { apiFetch } from "./api-client";

export type Page<T> = { items: T[]; cursor?: string };

export function listUrl(path: string, params: Record<string, string | number | undefined | null>) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export const fetchPage = <T>(
  path: string,
  params: Record<string, string | number | undefined | null>,
  signal?: AbortSignal,
) => apiFetch<Page<T>>(listUrl(path, params), { signal });

/** Every item of a small list (bots, blueprints for a select), page by page. */
export async function fetchAll<T>(path: string, signal?: AbortSignal, max = 1000): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetchPage<T>(path, { take: 100, cursor }, signal);
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor && out.length < max);
  return out;
}
