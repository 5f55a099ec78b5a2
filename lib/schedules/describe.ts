import cronstrue from "cronstrue";
import { nextRuns, parseSchedule, ScheduleError, type Schedule } from "./parse";
import { now } from "@/lib/core/clock";

function every(ms: number): string {
  const units: [number, string][] = [
    [604_800_000, "week"],
    [86_400_000, "day"],
    [3_600_000, "hour"],
    [60_000, "minute"],
  ];
  for (const [size, name] of units) {
    if (ms % size === 0) {
      const n = ms / size;
      return n === 1 ? `Every ${name}` : `Every ${n} ${name}s`;
    }
  }
  return `Every ${Math.round(ms / 1000)} seconds`;
}

function describeParsed(s: Schedule, timezone: string): string {
  switch (s.kind) {
    case "interval":
      return every(s.ms);
    case "date":
      return `Once, at ${s.at.toLocaleString("en-GB", { timeZone: timezone, dateStyle: "medium", timeStyle: "short" })} (${timezone})`;
    case "cron": {
      const text = cronstrue.toString(s.expression, { use24HourTimeFormat: true, verbose: false });
      return `${text} (${timezone})`;
    }
  }
}

/** "At 09:00, Monday through Friday (Europe/Berlin)", or null without a schedule. */
export function describeSchedule(schedule: string | null, timezone: string): string | null {
  if (!schedule) return null;
  try {
    return describeParsed(parseSchedule(schedule, timezone), timezone);
  } catch {
    return schedule;
  }
}

/** For the schedule field: the description and the next runs, or what is wrong. */
export function previewSchedule(
  schedule: string,
  timezone: string,
  count = 5,
): { ok: true; description: string; runs: Date[] } | { ok: false; error: string } {
  try {
    const parsed = parseSchedule(schedule, timezone);
    return {
      ok: true,
      description: describeParsed(parsed, timezone),
      runs: nextRuns(parsed, timezone, now(), count),
    };
  } catch (error) {
    return {
      ok: false,
      error: error instanceof ScheduleError ? `Schedule ${error.message}` : "Invalid schedule",
    };
  }
}
