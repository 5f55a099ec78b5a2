import "server-only";
import { createHash } from "node:crypto";
import {
  context,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Span,
} from "@opentelemetry/api";
import { errorField } from "./log";

/** Tracing is on when an OTLP endpoint is configured (instrumentation.ts registers the exporter). */
export const tracing = () =>
  Boolean(
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
  );

const tracer = () => trace.getTracer("trigger-dashboard");

/**
 * The trace an event's processing belongs to. Its ids derive from the event id,
 * so every attempt, on any server and after any restart, lands in one trace
 * without storing anything; the ingest span links to it.
 */
export function eventTrace(eventId: string): Context {
  const h = createHash("sha256").update(eventId).digest("hex");
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: h.slice(0, 32),
    spanId: h.slice(32, 48),
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
  });
}

export const spanContextOf = (ctx: Context) => trace.getSpanContext(ctx)!;

/** Runs `work` in a span (a no-op without an exporter); an error marks the span and goes on. */
export async function inSpan<T>(
  name: string,
  attributes: Attributes,
  work: (span: Span | null) => Promise<T>,
  parent?: Context,
): Promise<T> {
  if (!tracing()) return work(null);
  return tracer().startActiveSpan(
    name,
    { attributes },
    parent ?? context.active(),
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        // never the error itself: its message may carry bound query parameters
        const field = errorField(error);
        const message = field.message;
        span.recordException({ name: "name" in field ? field.name : "Error", message });
        span.setStatus({ code: SpanStatusCode.ERROR, message });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** A span over a stretch that already happened (from `start` to now), e.g. the claim before a run. */
export function pastSpan(name: string, attributes: Attributes, start: Date, parent: Context) {
  if (!tracing()) return;
  tracer().startSpan(name, { attributes, startTime: start }, parent).end();
}

/** A span the caller ends (a model call starts and finishes in separate callbacks). */
export function openSpan(name: string, attributes: Attributes, parent: Context = context.active()) {
  return tracing() ? tracer().startSpan(name, { attributes }, parent) : null;
}
