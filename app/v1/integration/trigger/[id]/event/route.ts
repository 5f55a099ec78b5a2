// The event URL as ChatBotKit hands it out (/v1/...), served by its own route: through the
// /v1 -> /api/v1 rewrite in next.config.ts it costs about a tenth of ingest throughput
// (docs/benchmarks.md). Every other /v1 path still goes through the rewrite.
export { DELETE, GET, PATCH, POST, PUT } from "@/app/api/v1/integration/trigger/[id]/event/route";
