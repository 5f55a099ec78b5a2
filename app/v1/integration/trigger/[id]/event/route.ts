// The event URL as ChatBotKit hands it out (/v1/...), served by its own route: through the
// /v1 -> /api/v1 rewrite it cost about a tenth of ingest throughput (docs/benchmarks.md).
// Every other /v1 path is rewritten by proxy.ts.
export {
  DELETE,
  GET,
  OPTIONS,
  PATCH,
  POST,
  PUT,
} from "@/app/api/v1/integration/trigger/[id]/event/route";
