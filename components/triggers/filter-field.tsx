"use client";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { filterPreviewQuery } from "./use-triggers";

/** A CEL filter, evaluated against the trigger's last 20 events as you type. */
export function FilterField({
  value,
  onChange,
  triggerId,
  error,
}: {
  value: string;
  onChange: (v: string) => void;
  triggerId?: string;
  error?: string;
}) {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(value), 300);
    return () => clearTimeout(t);
  }, [value]);
  const preview = useQuery({
    ...filterPreviewQuery(triggerId ?? "", debounced),
    enabled: Boolean(triggerId && debounced.trim()),
  });
  const p = preview.data;
  return (
    <div className="grid gap-2">
      <Label htmlFor="trigger-filter">Filter (optional)</Label>
      <Textarea
        id="trigger-filter"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        rows={2}
        className="font-mono text-xs"
        placeholder={
          'headers["x-github-event"] == "issues" && payload.action in ["opened", "reopened"]'
        }
        aria-invalid={Boolean(error)}
        aria-describedby="trigger-filter-help trigger-filter-result"
      />
      <p id="trigger-filter-help" className="text-muted-foreground text-xs">
        A CEL expression over <code>payload</code>, <code>headers</code>, <code>query</code> and{" "}
        <code>contact</code>. An event that does not match is stored as filtered and never reaches
        the bot.
      </p>
      {error && (
        <p className="text-destructive text-sm" data-testid="trigger-filter-error">
          {error}
        </p>
      )}
      <p id="trigger-filter-result" className="text-xs" role="status" aria-live="polite">
        {!value.trim()
          ? ""
          : !triggerId
            ? "Save the trigger to try the filter on its events."
            : p && !p.valid
              ? `Line ${p.problem.line}, column ${p.problem.column}: ${p.problem.message}`
              : p && p.valid
                ? p.total
                  ? `Matches ${p.matched} of the last ${p.total} events`
                  : "No events yet to try it on"
                : ""}
      </p>
    </div>
  );
}
