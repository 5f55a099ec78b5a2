import { ApiError } from "@/lib/core/errors";
import { nextRunAfter, parseSchedule, ScheduleError, type Schedule } from "@/lib/schedules/parse";

/** Parses a trigger's schedule or answers 422 on the field the caller used. */
export function validateTriggerSchedule(
  schedule: string,
  timezone: string,
  field = "triggerSchedule",
): Schedule {
  try {
    return parseSchedule(schedule, timezone);
  } catch (error) {
    if (!(error instanceof ScheduleError)) throw error;
    throw new ApiError("VALIDATION_ERROR", `Invalid body: ${field}: ${error.message}`, {
      issues: [{ path: field, message: error.message }],
    });
  }
}

/** When the trigger next runs after `now`; null without a schedule or after a one-shot date. */
export function computeNextTriggerAt(
  schedule: string | null,
  timezone: string,
  now: Date,
): Date | null {
  if (!schedule) return null;
  return nextRunAfter(validateTriggerSchedule(schedule, timezone), timezone, now);
}
