import { describe, expect, it } from "vitest";
import { listEventsQuerySchema } from "@/lib/events/schema";
import { usageQuerySchema } from "@/lib/stats/schema";
import { dateField, isoTimeField } from "./fields";

describe("times a query may name", () => {
  it("are the years 1 to 9999, judged in UTC: PostgreSQL has no year 0", () => {
    expect(isoTimeField.safeParse("2026-12-05T10:00:00Z").success).toBe(true);
    expect(isoTimeField.safeParse("0001-01-01T00:00:00Z").success).toBe(true);
    expect(isoTimeField.safeParse("9999-12-31T23:59:59Z").success).toBe(true);
    for (const bad of ["0000-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00", "yesterday"])
      expect(isoTimeField.safeParse(bad).success, bad).toBe(false);
    const date = dateField("must be a date");
    expect(date.safeParse("2026-11-01").success).toBe(true);
    for (const bad of ["0000-01-01", "+275760-09-13", "-000001-01-01", "soon"])
      expect(date.safeParse(bad).success, bad).toBe(false);
  });

  it("the event list and the usage range refuse year 0 as a validation error, with the field named", () => {
    const events = listEventsQuerySchema.safeParse({ from: "0000-01-01T00:00:00Z" });
    expect(events.success).toBe(false);
    expect(events.error?.issues[0].path).toEqual(["from"]);
    const usage = usageQuerySchema.safeParse({ to: "0000-06-01" });
    expect(usage.success).toBe(false);
    expect(usage.error?.issues[0].path).toEqual(["to"]);
  });
});
