import { z } from "zod";
import { idRef } from "@/lib/core/fields";
import { listWithMetaQuerySchema } from "@/lib/core/list-query";

export const APPROVAL_STATUSES = ["pending", "approved", "denied", "expired", "cancelled"] as const;
export const MAX_APPROVAL_NOTE_LENGTH = 1000;

/** POST .../event/{eventId}/approval: the decision on one waiting call. */
export const decideApprovalSchema = z.object({
  decision: z.enum(["approve", "deny"], { error: 'must be "approve" or "deny"' }),
  note: z
    .string()
    .trim()
    .max(MAX_APPROVAL_NOTE_LENGTH, `must be at most ${MAX_APPROVAL_NOTE_LENGTH} characters`)
    .optional(),
  /** Which call, when the event waits on more than one (from the approval list or the event). */
  approvalId: idRef.optional(),
});

export type DecideApprovalInput = z.infer<typeof decideApprovalSchema>;

/** GET .../approval/list: `meta.*` filters on the trigger's meta. */
export const listApprovalsQuerySchema = listWithMetaQuerySchema.extend({
  status: z.enum(APPROVAL_STATUSES).optional(),
  triggerId: idRef.optional(),
});

export type ListApprovalsQuery = z.infer<typeof listApprovalsQuerySchema>;
