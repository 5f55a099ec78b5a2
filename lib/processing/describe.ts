import type { TriggerEvent } from "@/db/schema";

const MAX_TEXT = 8000;

/**
 * The user message for an event: the payload's `text` when it is a string,
 * otherwise the payload rendered readably (pretty JSON, or the raw text body).
 */
export function describeEvent(event: Pick<TriggerEvent, "kind" | "payload" | "scheduledFor">): {
  text: string;
} {
  const p = event.payload;
  let text: string;
  if (
    p &&
    typeof p === "object" &&
    !Array.isArray(p) &&
    typeof (p as { text?: unknown }).text === "string"
  ) {
    text = (p as { text: string }).text;
  } else if (typeof p === "string") {
    text = p;
  } else if (p === null || p === undefined) {
    text =
      event.kind === "schedule"
        ? `Scheduled run${event.scheduledFor ? ` for ${event.scheduledFor.toISOString()}` : ""}`
        : event.kind === "invoke"
          ? "Manual invocation"
          : "Event with an empty body";
  } else {
    text = JSON.stringify(p, null, 2);
  }
  return {
    text:
      text.length > MAX_TEXT
        ? `${text.slice(0, MAX_TEXT)}\n… (truncated, ${text.length} characters)`
        : text,
  };
}
