import "server-only";
import { HTTP, ValidationError, type CloudEventV1 } from "cloudevents";
import { isStorableJson } from "@/lib/core/body";
import { ApiError } from "@/lib/core/errors";
import { MAX_KEY_LENGTH } from "./schema";

// CloudEvents (https://cloudevents.io) on the event URL: Azure Event Grid, Google Eventarc,
// Knative and any emitter of the `cloudevents` SDK. The three HTTP modes are recognised by the
// official `cloudevents` package: binary (`ce-*` headers, the body is the data), structured (one
// event as `application/cloudevents+json`) and batch (`application/cloudevents-batch+json`, one
// stored event per entry). The data is the payload; the context attributes are kept with the
// event and shown to the bot; `source` + `id` de-duplicates, as the spec defines an event's
// identity.

/** Entries one batch delivery may carry (each becomes an event, and takes a rate-limit token). */
export const MAX_CLOUDEVENTS_PER_BATCH = 100;

export type CloudEventEntry = {
  /** The event's `data` (or, in binary mode, the body as parsed for any event). */
  payload: unknown;
  contentType: string | null;
  /** The context attributes: id, source, type, specversion, subject, time, extensions. */
  attributes: Record<string, unknown>;
  /** `ce:<source>#<id>`: the retry of a delivery is the same event. */
  dedupeKey: string;
};

export type CloudEventDelivery = {
  mode: "binary" | "structured" | "batch";
  entries: CloudEventEntry[];
};

/** Whether the request is a CloudEvent at all: a cheap look at two headers, for every delivery. */
export function looksLikeCloudEvent(headers: Headers): boolean {
  const type = headers.get("content-type")?.trimStart().toLowerCase() ?? "";
  return type.startsWith("application/cloudevents") || headers.has("ce-specversion");
}

/**
 * The CloudEvents a delivery carries (null when it is not one); a malformed one is a 400 naming
 * what is wrong. `parsed` is the body as any event's would be stored (binary mode's data).
 */
export function readCloudEvents(
  headers: Headers,
  raw: Uint8Array,
  parsed: { payload: unknown; contentType: string | null },
): CloudEventDelivery | null {
  if (!looksLikeCloudEvent(headers)) return null;
  const plain: Record<string, string> = {};
  headers.forEach((value, name) => (plain[name] = value));
  const body = new TextDecoder().decode(raw);
  let events: CloudEventV1<unknown>[];
  let mode: CloudEventDelivery["mode"];
  let entries: { e: CloudEventV1<unknown>; json: Record<string, unknown> }[];
  try {
    const type = plain["content-type"]?.toLowerCase() ?? "";
    mode = type.startsWith("application/cloudevents-batch")
      ? "batch"
      : type.startsWith("application/cloudevents")
        ? "structured"
        : "binary";
    if (mode === "batch") {
      if (!body.trim().startsWith("["))
        throw new ValidationError("a batch must be a JSON array of events");
      // counted before the SDK builds and checks each entry: 1 MiB holds some 20,000 tiny ones
      const list = Array.isArray(parsed.payload) ? parsed.payload : JSON.parse(body);
      if (Array.isArray(list) && list.length > MAX_CLOUDEVENTS_PER_BATCH)
        throw new ApiError(
          "CONTENT_TOO_LARGE",
          `A CloudEvents batch may carry at most ${MAX_CLOUDEVENTS_PER_BATCH} events; this one has ${list.length}`,
        );
    }
    // the SDK looks the media type up as sent: a charset or capitals would make it refuse one
    if (mode !== "binary")
      plain["content-type"] =
        mode === "batch" ? "application/cloudevents-batch+json" : "application/cloudevents+json";
    const read = HTTP.toEvent({ headers: plain, body: mode === "binary" ? "" : body });
    events = Array.isArray(read) ? read : [read];
    for (const e of events) (e as unknown as { validate: () => boolean }).validate();
    // each as JSON (a time the SDK cannot write, such as a leap second, or a nesting too deep
    // to write, is the sender's mistake, not ours)
    entries = events.map((e) => ({ e, json: JSON.parse(JSON.stringify(e)) }));
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError("BAD_REQUEST", `Not a valid CloudEvent: ${cloudEventProblem(error)}`);
  }
  if (mode === "batch" && events.length > MAX_CLOUDEVENTS_PER_BATCH)
    throw new ApiError(
      "CONTENT_TOO_LARGE",
      `A CloudEvents batch may carry at most ${MAX_CLOUDEVENTS_PER_BATCH} events; this one has ${events.length}`,
    );
  if (mode === "batch" && events.length === 0)
    throw new ApiError("BAD_REQUEST", "Not a valid CloudEvent: the batch is empty");
  return {
    mode,
    entries: entries.map(({ e, json }) => {
      const {
        data,
        data_base64: base64,
        ...attributes
      } = json as {
        data?: unknown;
        data_base64?: string;
      } & Record<string, unknown>;
      // stored with the event (and its id as its key): what PostgreSQL cannot hold is refused
      // here, never failing the insert that other triggers' events share
      if (!isStorableJson(attributes))
        throw new ApiError(
          "BAD_REQUEST",
          "Not a valid CloudEvent: its attributes hold characters that cannot be stored (NUL or broken UTF-16) or nest deeper than 64 levels",
        );
      const dedupeKey = `ce:${e.source}#${e.id}`;
      if (dedupeKey.length > MAX_KEY_LENGTH)
        throw new ApiError(
          "VALIDATION_ERROR",
          `A CloudEvent's source and id together must be at most ${MAX_KEY_LENGTH - 4} characters`,
          { issues: [{ path: "id", message: "too long" }] },
        );
      const contentType = (attributes.datacontenttype as string | undefined) ?? null;
      if (mode === "binary") return { ...parsed, attributes, dedupeKey };
      const payload = base64 !== undefined ? { base64 } : (data ?? null);
      if (!isStorableJson(payload))
        throw new ApiError(
          "BAD_REQUEST",
          "Not a valid CloudEvent: its data holds characters that cannot be stored (NUL or broken UTF-16); send it as data_base64",
        );
      return {
        payload,
        contentType:
          base64 !== undefined ? (contentType ?? "application/octet-stream") : contentType,
        attributes,
        dedupeKey,
      };
    }),
  };
}

function cloudEventProblem(error: unknown): string {
  if (error instanceof SyntaxError) return "the body is not JSON";
  if (error instanceof ValidationError) {
    const details = (error.errors ?? [])
      .map((e) => (typeof e === "string" ? e : `${e.instancePath || "event"} ${e.message}`))
      .slice(0, 3)
      .join("; ");
    return details || error.message;
  }
  return error instanceof Error ? error.message : "unreadable";
}

/**
 * The CloudEvents webhook abuse-protection handshake (CloudEvents HTTP Webhook 1.0, section 4):
 * an `OPTIONS` with `WebHook-Request-Origin` is answered with that origin allowed, and the rate
 * the trigger accepts, so the sender (Azure Event Grid, for one) may deliver.
 */
export function webhookHandshake(headers: Headers, ratePerMinute: number): Response {
  const origin = headers.get("webhook-request-origin")?.trim();
  if (!origin) return new Response(null, { status: 204, headers: { allow: "POST, OPTIONS" } });
  if (origin.length > 255 || !/^[\x21-\x7e]+$/.test(origin))
    throw new ApiError("BAD_REQUEST", "WebHook-Request-Origin must be a host name");
  return new Response(null, {
    status: 200,
    headers: {
      allow: "POST, OPTIONS",
      "webhook-allowed-origin": origin,
      "webhook-allowed-rate": String(ratePerMinute),
    },
  });
}
