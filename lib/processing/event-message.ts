import type { Trigger, TriggerEvent } from "@/db/schema";
import { modelHeaders } from "@/lib/events/headers";
import { sessionLabel } from "@/lib/events/session-key";
import { renderPrompt } from "@/lib/triggers/prompt";

/** How much of a payload the model sees; beyond it the block says it was cut. */
export const MAX_PAYLOAD_CHARS = 16 * 1024;
const MAX_TEXT = 8000;

type EventLike = Pick<
  TriggerEvent,
  | "id"
  | "kind"
  | "payload"
  | "contentType"
  | "headers"
  | "contact"
  | "sessionKey"
  | "scheduledFor"
  | "cloudEvent"
>;

export type EventMessage = {
  /** The user message: the trigger's prompt, else the payload's `text`, else a short description. */
  text: string;
  /** The data card: the event block the model reads after the message. */
  block: string;
  /** The headers shown with it (a fixed, safe set). */
  headers: Record<string, string>;
  /** Prompt placeholders that had no value in this event. */
  missing: string[];
};

/**
 * What the bot is told about an event. The payload and headers come from
 * whoever knows the event URL, so they travel as data: a delimited block the
 * system prompt names as untrusted, never part of the instructions.
 */
export function describeEvent(
  event: EventLike,
  trigger: Pick<Trigger, "name" | "prompt"> = { name: null, prompt: null },
): EventMessage {
  const p = event.payload;
  let text: string;
  let missing: string[] = [];
  if (trigger.prompt) {
    ({ text, missing } = renderPrompt(trigger.prompt, {
      payload: p,
      contact: event.contact,
      session: sessionLabel(event.sessionKey),
      trigger: { name: trigger.name },
    }));
  } else if (
    p &&
    typeof p === "object" &&
    !Array.isArray(p) &&
    typeof (p as { text?: unknown }).text === "string"
  ) {
    text = (p as { text: string }).text;
  } else if (typeof p === "string" && p.trim()) {
    text = p;
  } else {
    text =
      event.kind === "schedule"
        ? `Scheduled run${event.scheduledFor ? ` for ${event.scheduledFor.toISOString()}` : ""}`
        : event.kind === "invoke"
          ? "Manual invocation"
          : p === null || p === undefined
            ? "Event with an empty body"
            : `Event received (${event.contentType ?? "no content type"})`;
  }
  if (text.length > MAX_TEXT)
    text = `${text.slice(0, MAX_TEXT)}\n… (truncated, ${text.length} characters)`;
  const headers = modelHeaders(event.headers);
  return { text, block: eventBlock(event, headers), headers, missing };
}

/**
 * What the bot is told about a run of several events (a batch): one user message holding each
 * event's text and data card, in arrival order, each fenced as a single event's would be.
 */
export function describeRun(
  events: EventLike[],
  trigger: Pick<Trigger, "name" | "prompt"> = { name: null, prompt: null },
): EventMessage {
  const parts = events.map((e) => describeEvent(e, trigger));
  if (parts.length === 1) return parts[0];
  return {
    text: `${parts.length} events arrived together. Each follows in arrival order, with its own <event> block; answer once for all of them.`,
    block: parts.map((p, i) => `${i + 1}. ${p.text}\n\n${p.block}`).join("\n\n"),
    headers: parts[0].headers,
    missing: [...new Set(parts.flatMap((p) => p.missing))],
  };
}

/** Events that joined a run while it went on (onBusy merge or interrupt), as the model reads them. */
export function joinedMessage(parts: EventMessage[]): string {
  const head =
    parts.length === 1
      ? "Another event arrived in this conversation while you were working on it:"
      : `${parts.length} more events arrived in this conversation while you were working on it, in arrival order:`;
  return [head, ...parts.map((p) => `${p.text}\n\n${p.block}`)].join("\n\n");
}

function eventBlock(event: EventLike, headers: Record<string, string>): string {
  const lines = [`<event id="${event.id}" kind="${event.kind}">`];
  if (Object.keys(headers).length) {
    lines.push("Headers:");
    for (const [k, v] of Object.entries(headers)) lines.push(`  ${k}: ${v}`);
  }
  if (event.cloudEvent) {
    lines.push("CloudEvent:");
    for (const [k, v] of Object.entries(event.cloudEvent))
      lines.push(`  ${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`);
  }
  if (event.contact) lines.push(`Contact: ${JSON.stringify(event.contact)}`);
  const session = sessionLabel(event.sessionKey);
  if (session && event.kind === "event") lines.push(`Session: ${session}`);
  if (event.payload === null || event.payload === undefined) lines.push("Payload: (none)");
  else {
    let body =
      typeof event.payload === "string" ? event.payload : JSON.stringify(event.payload, null, 2);
    if (body.length > MAX_PAYLOAD_CHARS)
      body = `${body.slice(0, MAX_PAYLOAD_CHARS)}\n… (payload cut at 16 KiB; ${body.length} characters in all)`;
    lines.push("Payload:", body);
  }
  // the block ends where we say it does, whatever the payload contains
  return [
    ...lines.map((l) => (l === lines[0] ? l : l.replace(/<\/event/gi, "<\\/event"))),
    "</event>",
  ].join("\n");
}
