import { z } from "zod";
import { isoTimeField } from "@/lib/core/fields";
import { listWithoutMetaQuerySchema } from "@/lib/core/list-query";

/** The longest key an event is stored with (an idempotency key, a session, a CloudEvent's source#id). */
export const MAX_KEY_LENGTH = 255;

/** Payload search text, in characters. */
export const MAX_EVENT_SEARCH_LENGTH = 200;

export const EVENT_STATUSES = [
  "queued",
  "processing",
  "waiting",
  "batched",
  "completed",
  "failed",
  "cancelled",
  "filtered",
] as const;
export const EVENT_KINDS = ["event", "invoke", "schedule"] as const;

export const listEventsQuerySchema = listWithoutMetaQuerySchema.extend({
  status: z.enum(EVENT_STATUSES).optional(),
  kind: z.enum(EVENT_KINDS).optional(),
  /** Text anywhere in the payload (case-insensitive). */
  search: z.string().trim().min(1).max(MAX_EVENT_SEARCH_LENGTH).optional(),
  /** Received at or after / before these times. */
  from: isoTimeField.optional(),
  to: isoTimeField.optional(),
});

export const MAX_BULK_REPLAY = 1000;

/** Replay every event of a trigger with this status (received since `since`), up to 1,000. */
export const bulkReplaySchema = z.object({
  status: z.enum(["failed", "completed", "cancelled", "filtered"]).default("failed"),
  since: isoTimeField.optional(),
});

export const filterPreviewSchema = z.object({ filter: z.string().max(2000) });

/** "Send test event": a body the console signs as the trigger's sender would. */
export const testEventSchema = z.object({
  body: z.string().max(64 * 1024, "must be at most 64 KiB"),
  contentType: z.string().max(200).default("application/json"),
  query: z.string().max(1000).optional(),
});
