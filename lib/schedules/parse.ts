import { Cron } from "croner";
import { now } from "@/lib/core/clock";

export type Schedule =
  | { kind: "cron"; expression: string }
  | { kind: "interval"; ms: number }
  | { kind: "date"; at: Date };

export class ScheduleError extends Error {}

const MINUTE = 60_000;
const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: MINUTE,
  h: 60 * MINUTE,
  d: 24 * 60 * MINUTE,
  w: 7 * 24 * 60 * MINUTE,
};
const MACROS: Record<string, string> = { "@midnight": "@daily" };
export const MAX_SCHEDULE_LENGTH = 200;

export function isValidTimezone(tz: string): boolean {
  if (!tz || tz.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** ISO-8601 durations with day and time parts (P1D, PT15M, P1DT12H). */
function parseIsoDuration(text: string): number | null {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(text);
  if (!m || text.toUpperCase() === "P" || text.toUpperCase().endsWith("T")) return null;
  const [, w, d, h, min, s] = m.map((v) => Number(v ?? 0));
  return (((w * 7 + d) * 24 + h) * 60 + min) * MINUTE + s * 1000;
}

/**
 * Parses cron (5 or 6 fields, macros), intervals (`15m`, `1h`, `PT15M`; at least
 * one minute) and one ISO date-time; throws ScheduleError saying what is wrong.
 */
export function parseSchedule(input: string, timezone = "UTC"): Schedule {
  const text = input.trim();
  if (!text) throw new ScheduleError("is empty");
  if (text.length > MAX_SCHEDULE_LENGTH)
    throw new ScheduleError(`is longer than ${MAX_SCHEDULE_LENGTH} characters`);
  if (!isValidTimezone(timezone))
    throw new ScheduleError(`timezone "${timezone}" is not an IANA time zone`);

  const short = /^(\d+)\s*(s|m|h|d|w)$/i.exec(text);
  const intervalMs = short
    ? Number(short[1]) * UNIT_MS[short[2].toLowerCase()]
    : /^P/i.test(text)
      ? parseIsoDuration(text)
      : null;
  if (intervalMs !== null) {
    if (intervalMs < MINUTE) throw new ScheduleError("interval must be at least 1 minute");
    if (intervalMs > 366 * 24 * 60 * MINUTE)
      throw new ScheduleError("interval must be at most 366 days");
    return { kind: "interval", ms: intervalMs };
  }
  if (/^P/i.test(text))
    throw new ScheduleError(`"${text}" is not an ISO-8601 duration like PT15M or P1D`);

  const ymd = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}/.exec(text);
  if (ymd) {
    // a day the month does not have (February 30) would otherwise roll over into the next month
    const [, y, m, d] = ymd.map(Number);
    const calendar = new Date(Date.UTC(y, m - 1, d));
    if (calendar.getUTCMonth() !== m - 1 || calendar.getUTCDate() !== d)
      throw new ScheduleError(`"${text}" is not a valid ISO date-time: that day does not exist`);
    let at: Date | null = null;
    try {
      at = new Cron(text, { timezone }).nextRun(new Date(0));
    } catch {
      at = null;
    }
    if (!at) throw new ScheduleError(`"${text}" is not a valid ISO date-time`);
    return { kind: "date", at };
  }

  const expression = MACROS[text.toLowerCase()] ?? text;
  const fields = expression.split(/\s+/).length;
  if (!expression.startsWith("@") && fields !== 5 && fields !== 6) {
    throw new ScheduleError(`cron expressions have 5 or 6 fields; "${text}" has ${fields}`);
  }
  let cron: Cron;
  try {
    cron = new Cron(expression, { timezone });
  } catch (error) {
    throw new ScheduleError(
      `"${text}" is not a valid cron expression (${error instanceof Error ? error.message : "invalid"})`,
    );
  }
  const [a, b] = cron.nextRuns(2, now());
  if (!a) throw new ScheduleError(`"${text}" never runs`);
  if (b && b.getTime() - a.getTime() < MINUTE)
    throw new ScheduleError("runs more often than once a minute, the finest schedule resolution");
  return { kind: "cron", expression };
}

/** The first run strictly after `after`, or null when there is none (a past one-shot date). */
export function nextRunAfter(schedule: Schedule, timezone: string, after: Date): Date | null {
  switch (schedule.kind) {
    case "interval":
      return new Date(after.getTime() + schedule.ms);
    case "date":
      return schedule.at.getTime() > after.getTime() ? schedule.at : null;
    case "cron":
      return new Cron(schedule.expression, { timezone }).nextRun(after) ?? null;
  }
}

export function nextRuns(schedule: Schedule, timezone: string, from: Date, count: number): Date[] {
  const out: Date[] = [];
  let cursor = from;
  for (let i = 0; i < count; i++) {
    const next = nextRunAfter(schedule, timezone, cursor);
    if (!next) break;
    out.push(next);
    cursor = next;
  }
  return out;
}
