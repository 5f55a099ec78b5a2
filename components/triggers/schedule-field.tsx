"use client";
import { useMemo } from "react";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { previewSchedule } from "@/lib/schedules/describe";
import { MAX_SCHEDULE_LENGTH } from "@/lib/schedules/parse";

/** Schedule input with live validation, the schedule in words and its next five runs. */
export function ScheduleField({
  value,
  timezone,
  onChange,
  serverError,
}: {
  value: string;
  timezone: string;
  onChange: (v: string) => void;
  serverError?: string;
}) {
  const preview = useMemo(
    () => (value.trim() ? previewSchedule(value, timezone || "UTC") : null),
    [value, timezone],
  );
  const error = serverError ?? (preview && !preview.ok ? preview.error : undefined);
  return (
    <div className="grid gap-2">
      <Label htmlFor="trigger-schedule">Schedule (optional)</Label>
      <Input
        id="trigger-schedule"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder="0 9 * * 1-5, 15m, PT1H or 2030-01-01T09:00"
        aria-invalid={Boolean(error)}
        aria-describedby="trigger-schedule-help"
        maxLength={MAX_SCHEDULE_LENGTH}
        autoComplete="off"
      />
      <div id="trigger-schedule-help" className="text-muted-foreground text-xs" aria-live="polite">
        {error ? (
          <p className="text-destructive">{error}</p>
        ) : preview?.ok ? (
          <div data-testid="schedule-preview">
            <p className="text-foreground font-medium">{preview.description}</p>
            <ol className="mt-1 list-decimal pl-5">
              {preview.runs.map((d) => (
                <li key={d.toISOString()}>
                  {d.toLocaleString("en-GB", {
                    timeZone: timezone || "UTC",
                    dateStyle: "medium",
                    timeStyle: "short",
                  })}
                </li>
              ))}
            </ol>
          </div>
        ) : (
          <p>
            Cron (5 or 6 fields, @hourly…), an interval (15m, 1h, PT15M) or one date-time. Leave
            empty for events only.
          </p>
        )}
      </div>
    </div>
  );
}
