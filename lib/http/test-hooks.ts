import { z } from "zod";
import { env } from "@/lib/core/env";
import { ApiError } from "@/lib/core/errors";

export const clockSchema = z.object({
  offsetMs: z
    .number()
    .int()
    .min(0)
    .max(10 * 365 * 24 * 3600 * 1000),
});

/** Test-only routes exist only with TEST_HOOKS=1 (set by the e2e server, never in production). */
export function assertTestHooks() {
  if (!env().TEST_HOOKS) throw new ApiError("NOT_FOUND", "No such route");
}
