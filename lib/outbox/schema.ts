import { z } from "zod";
import type { NotificationType } from "@/db/schema";
import { descriptionField, outboundUrlField } from "@/lib/core/fields";

// What the API takes for replies and notifications (loaded by the browser too: zod only).

export const NOTIFICATION_TYPES = [
  "event.failed",
  "event.completed",
  "approval.requested",
  "budget.exceeded",
  "trigger.paused",
] as const satisfies readonly NotificationType[];

const httpsUrl = outboundUrlField();

const token = z.string().trim().min(1, "must not be empty").max(500);

/**
 * Where a completed run's reply goes. The provider token is write-only: an update that leaves it
 * out keeps the stored one; the callback's signing secret is made by the server (rotatable).
 */
export const replyField = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("none") }),
    z.object({ type: z.literal("slack"), token: token.optional() }),
    z.object({ type: z.literal("github"), token: token.optional() }),
    z.object({ type: z.literal("callback"), url: httpsUrl.nullish() }),
  ],
  { error: 'must have type "none", "slack", "github" or "callback"' },
);
export type ReplyInput = z.infer<typeof replyField>;

/** After `failures` failed runs within `window` ms, the trigger pauses itself and says so. */
export const autoPauseField = z.object({
  failures: z.number().int().min(1, "must be at least 1").max(1000, "must be at most 1000"),
  window: z
    .number()
    .int()
    .min(60_000, "must be at least 1 minute (60000 ms)")
    .max(7 * 24 * 3_600_000, "must be at most 7 days"),
});

const eventsField = z
  .array(z.enum(NOTIFICATION_TYPES, { error: `must be one of ${NOTIFICATION_TYPES.join(", ")}` }))
  .min(1, "choose at least one event type")
  .max(NOTIFICATION_TYPES.length);

export const createEndpointSchema = z.object({
  url: httpsUrl,
  events: eventsField,
  description: descriptionField.nullish(),
});

export const updateEndpointSchema = z.object({
  url: httpsUrl.optional(),
  events: eventsField.optional(),
  description: descriptionField.nullish(),
  /** Turn a disabled endpoint back on (its failure streak starts again). */
  enabled: z.boolean().optional(),
});
