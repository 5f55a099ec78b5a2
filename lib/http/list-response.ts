import "server-only";
import { errorField, log } from "@/lib/observability/log";
import type { ListQuery } from "@/lib/core/list-query";

// The list answers of the routes (the schemas beside them in ./pagination.ts are shared with the browser).

/** `Accept: application/jsonl` asks for every matching item as `{"type":"item","data":...}` lines. */
export function wantsJsonl(req: Request): boolean {
  return /application\/(jsonl|x-ndjson)/i.test(req.headers.get("accept") ?? "");
}

/** A list answer: one page as JSON, or with `Accept: application/jsonl` every page streamed. */
export function listResponse<T>(
  req: Request,
  query: ListQuery,
  fetchPage: (q: ListQuery) => Promise<{ items: T[]; cursor?: string }>,
): Promise<{ items: T[]; cursor?: string }> | Response {
  if (!wantsJsonl(req)) return fetchPage(query);
  return jsonlStream((cursor) => fetchPage({ ...query, take: 100, cursor }));
}

/** Streams pages as JSONL lines, one query per page, so memory stays flat however many rows match. */
export function jsonlStream<T>(
  fetchPage: (cursor?: string) => Promise<{ items: T[]; cursor?: string }>,
): Response {
  const encoder = new TextEncoder();
  let cursor: string | undefined;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const page = await fetchPage(cursor);
        const lines = page.items
          .map((data) => JSON.stringify({ type: "item", data }) + "\n")
          .join("");
        if (lines) controller.enqueue(encoder.encode(lines));
        cursor = page.cursor;
        if (!cursor) controller.close();
      } catch (error) {
        log().error({ error: errorField(error) }, "jsonl stream failed");
        const line = {
          type: "error",
          data: { message: "Stream interrupted", code: "INTERNAL_ERROR" },
        };
        controller.enqueue(encoder.encode(JSON.stringify(line) + "\n"));
        controller.close();
      }
    },
  });
  return new Response(stream, { headers: { "content-type": "application/jsonl; charset=utf-8" } });
}
