import type { ReadableSpan, SpanProcessor } from "@opentelemetry/sdk-trace-base";

/** A URL, or a text holding URLs, without query strings (which carry sessions, emails, tokens). */
export const withoutQuery = (text: string) => text.replace(/\?[^\s#"]*/g, "");

const URLISH = /url|uri|target|route|path|referer|location/i;

/**
 * Spans leave this server without query strings: the event URL's ?session= and
 * ?contact.email=, a model server's ?api-version=&key=. Runs before the
 * exporting processor ("auto" after it in instrumentation.ts) and edits the
 * ended span in place, attributes and name alike.
 */
export class QueryStripper implements SpanProcessor {
  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    const attributes = span.attributes as Record<string, unknown>;
    for (const [key, value] of Object.entries(attributes)) {
      if (key === "url.query" || key === "http.query") delete attributes[key];
      else if (typeof value === "string" && value.includes("?") && URLISH.test(key))
        attributes[key] = withoutQuery(value);
    }
    if (span.name.includes("?")) (span as { name: string }).name = withoutQuery(span.name);
  }

  forceFlush() {
    return Promise.resolve();
  }

  shutdown() {
    return Promise.resolve();
  }
}
