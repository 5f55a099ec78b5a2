import { describe, expect, it } from "vitest";
import { nextRunAfter, nextRuns, parseSchedule } from "./parse";

describe("parseSchedule", () => {
  it("accepts cron with 5 and 6 fields and macros", () => {
    expect(parseSchedule("0 9 * * 1-5")).toEqual({ kind: "cron", expression: "0 9 * * 1-5" });
    expect(parseSchedule("0 0 9 * * 1-5").kind).toBe("cron");
    expect(parseSchedule("@hourly").kind).toBe("cron");
    expect(parseSchedule("@midnight")).toEqual({ kind: "cron", expression: "@daily" });
  });

  it("accepts intervals and ISO durations of at least a minute", () => {
    expect(parseSchedule("15m")).toEqual({ kind: "interval", ms: 15 * 60_000 });
    expect(parseSchedule("1h")).toEqual({ kind: "interval", ms: 3_600_000 });
    expect(parseSchedule("1d")).toEqual({ kind: "interval", ms: 86_400_000 });
    expect(parseSchedule("PT15M")).toEqual({ kind: "interval", ms: 15 * 60_000 });
    expect(parseSchedule("P1DT12H")).toEqual({ kind: "interval", ms: 36 * 3_600_000 });
    expect(() => parseSchedule("30s")).toThrow("at least 1 minute");
    expect(() => parseSchedule("PT30S")).toThrow("at least 1 minute");
  });

  it("accepts one ISO date-time, read in the trigger's timezone when it has no offset", () => {
    const s = parseSchedule("2030-06-01T09:00:00", "Europe/Berlin");
    expect(s).toEqual({ kind: "date", at: new Date("2030-06-01T07:00:00Z") });
    expect(parseSchedule("2030-06-01T09:00:00Z")).toEqual({
      kind: "date",
      at: new Date("2030-06-01T09:00:00Z"),
    });
  });

  it("says what is wrong", () => {
    expect(() => parseSchedule("* * *")).toThrow("5 or 6 fields");
    expect(() => parseSchedule("61 * * * *")).toThrow("not a valid cron expression");
    expect(() => parseSchedule("*/10 * * * * *")).toThrow("more often than once a minute");
    expect(() => parseSchedule("")).toThrow("empty");
    expect(() => parseSchedule("0 9 * * *", "Mars/Olympus")).toThrow("IANA");
    expect(() => parseSchedule("Pfoo")).toThrow("ISO-8601 duration");
  });
});

describe("next runs", () => {
  it("keeps wall-clock time across a DST change (Europe/Berlin, spring forward 2026-03-29)", () => {
    const s = parseSchedule("0 9 * * *", "Europe/Berlin");
    const runs = nextRuns(s, "Europe/Berlin", new Date("2026-03-27T12:00:00Z"), 3);
    expect(runs.map((d) => d.toISOString())).toEqual([
      "2026-03-28T08:00:00.000Z", // 09:00 CET
      "2026-03-29T07:00:00.000Z", // 09:00 CEST
      "2026-03-30T07:00:00.000Z",
    ]);
  });

  it("and in the autumn (America/New_York, fall back 2026-11-01)", () => {
    const s = parseSchedule("30 8 * * *", "America/New_York");
    const runs = nextRuns(s, "America/New_York", new Date("2026-10-31T00:00:00Z"), 2);
    expect(runs.map((d) => d.toISOString())).toEqual([
      "2026-10-31T12:30:00.000Z",
      "2026-11-01T13:30:00.000Z",
    ]);
  });

  it("intervals run every period; a past one-shot never again", () => {
    const from = new Date("2026-01-01T00:00:00Z");
    expect(nextRunAfter({ kind: "interval", ms: 900_000 }, "UTC", from)?.toISOString()).toBe(
      "2026-01-01T00:15:00.000Z",
    );
    const once = parseSchedule("2026-01-01T10:00:00Z");
    expect(nextRunAfter(once, "UTC", from)?.toISOString()).toBe("2026-01-01T10:00:00.000Z");
    expect(nextRunAfter(once, "UTC", new Date("2026-01-02T00:00:00Z"))).toBeNull();
  });
});

describe("edge cases", () => {
  it("a cron on the 31st skips the months without one; a leap day waits for its year", () => {
    const s = parseSchedule("0 12 31 * *");
    const runs = nextRuns(s, "UTC", new Date("2027-01-31T13:00:00Z"), 2);
    expect(runs.map((d) => d.toISOString())).toEqual([
      "2027-03-31T12:00:00.000Z",
      "2027-05-31T12:00:00.000Z",
    ]);
    const leap = parseSchedule("0 0 29 2 *");
    expect(nextRunAfter(leap, "UTC", new Date("2026-03-01T00:00:00Z"))?.toISOString()).toBe(
      "2028-02-29T00:00:00.000Z",
    );
  });

  it("a time that does not exist on a DST day runs once, at the next valid minute or not at all", () => {
    // 02:30 does not exist in Europe/Berlin on 2026-03-29
    const s = parseSchedule("30 2 * * *", "Europe/Berlin");
    const runs = nextRuns(s, "Europe/Berlin", new Date("2026-03-28T12:00:00Z"), 2);
    expect(runs).toHaveLength(2);
    expect(new Set(runs.map((d) => d.toISOString())).size).toBe(2);
    expect(runs[1].getTime() - runs[0].getTime()).toBeGreaterThanOrEqual(23 * 3_600_000);
  });

  it("refuses what would surprise: a date without a valid day, a 0 interval, a too-long text", () => {
    expect(() => parseSchedule("2030-02-30T09:00:00Z")).toThrow();
    expect(() => parseSchedule("0m")).toThrow();
    expect(() => parseSchedule("x".repeat(500))).toThrow();
    expect(() => parseSchedule("PT0S")).toThrow();
  });

  it("an offset in a one-shot date wins over the trigger's timezone", () => {
    expect(parseSchedule("2030-06-01T09:00:00+02:00", "America/New_York")).toEqual({
      kind: "date",
      at: new Date("2030-06-01T07:00:00Z"),
    });
  });
});
