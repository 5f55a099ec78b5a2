export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build")
    return;
  // Traces go out over OTLP only when an endpoint is configured (lib/observability/trace.ts),
  // without query strings (lib/observability/redact.ts).
  if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) {
    const { registerOTel } = await import("@vercel/otel");
    const { QueryStripper } = await import("./lib/observability/redact");
    registerOTel({
      serviceName: process.env.OTEL_SERVICE_NAME || "trigger-dashboard",
      spanProcessors: [new QueryStripper(), "auto"],
    });
  }
  const { startServer } = await import("./lib/server/start");
  await startServer();
}
