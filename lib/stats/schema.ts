import { z } from "zod";
import { dateField } from "@/lib/core/fields";

const DAY = 24 * 3_600_000;

export const usageQuerySchema = z
  .object({
    /** ISO date (a time counts from the start of its UTC day); default: the start of the current month (UTC). */
    from: dateField("must be an ISO date such as 2026-11-01").optional(),
    /** ISO date, exclusive (a time inside a day includes that day); default: now (today included). */
    to: dateField("must be an ISO date such as 2026-12-01").optional(),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, {
    message: "from must be before to",
    path: ["from"],
  })
  .refine((q) => !q.from || !q.to || q.to.getTime() - q.from.getTime() <= 400 * DAY, {
    message: "the range may span at most 400 days",
    path: ["to"],
  });
