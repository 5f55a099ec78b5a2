"use client";
import { PlusIcon, SaveIcon, Trash2Icon } from "lucide-react";
import { useId, useState } from "react";
import { toast } from "sonner";
import { OptionSelect } from "@/components/common/option-select";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import type { Expectation } from "@/db/schema";
import { useSaveTestCase, type DryRun } from "./use-dry-runs";

const TYPES = [
  { value: "reply_contains", label: "The reply contains" },
  { value: "reply_not_contains", label: "The reply does not contain" },
  { value: "reply_matches", label: "The reply matches (RE2 pattern)" },
  { value: "tool_called", label: "A tool is called" },
  { value: "tool_not_called", label: "A tool is not called" },
] as const;

type Row = { type: Expectation["type"]; value: string; input: string };

/** The form's rows as the API's expectations; a sentence for the first row that is not right. */
function toExpectations(rows: Row[]): Expectation[] | string {
  const out: Expectation[] = [];
  for (const [i, r] of rows.entries()) {
    const n = i + 1;
    const value = r.value.trim();
    if (!value)
      return `Expectation ${n}: fill in the ${r.type.startsWith("tool") ? "tool name" : "text"}`;
    if (r.type === "reply_contains" || r.type === "reply_not_contains")
      out.push({ type: r.type, value });
    else if (r.type === "reply_matches") out.push({ type: r.type, pattern: value });
    else if (r.type === "tool_not_called") out.push({ type: r.type, tool: value });
    else {
      let input: Record<string, unknown> | undefined;
      if (r.input.trim()) {
        try {
          input = JSON.parse(r.input) as Record<string, unknown>;
        } catch {
          return `Expectation ${n}: the input fields are not valid JSON`;
        }
        if (!input || typeof input !== "object" || Array.isArray(input))
          return `Expectation ${n}: the input fields must be a JSON object`;
      }
      out.push({ type: r.type, tool: value, ...(input && { input }) });
    }
  }
  return out;
}

/**
 * "Save as test case": keeps this event (and what its run recorded) with what a run on it should
 * do; the trigger's Tests tab runs them all against the current configuration.
 */
export function SaveTestCaseButton({
  triggerId,
  eventId,
  lastRun,
}: {
  triggerId: string;
  eventId: string;
  lastRun?: DryRun;
}) {
  const id = useId();
  const save = useSaveTestCase(triggerId);
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [rows, setRows] = useState<Row[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const start = () => {
    setRows([{ type: "reply_contains", value: "", input: "" }]);
    setName("");
    setProblem(null);
    setOpen(true);
  };
  const set = (i: number, patch: Partial<Row>) =>
    setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <>
      <Button variant="outline" size="sm" onClick={start}>
        <SaveIcon aria-hidden /> Save as test case
      </Button>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent className="max-h-[90vh] max-w-2xl overflow-y-auto">
          <DialogHeader>
            <DialogTitle>Save as test case</DialogTitle>
            <DialogDescription>
              The event and the tool results its run recorded are kept with the test case, so it
              runs even after the event itself is deleted.
              {lastRun?.reply && " The last dry run's reply is shown below for reference."}
            </DialogDescription>
          </DialogHeader>
          <form
            aria-label="Test case"
            className="flex flex-col gap-4"
            onSubmit={(e) => {
              e.preventDefault();
              const expectations = toExpectations(rows);
              if (typeof expectations === "string") return setProblem(expectations);
              if (!expectations.length) return setProblem("Add at least one expectation");
              setProblem(null);
              save.mutate(
                { eventId, ...(name.trim() && { name: name.trim() }), expectations },
                {
                  onSuccess: (c) => {
                    toast.success(`Saved test case "${c.name}"`, {
                      description: "Run it from the trigger's Tests tab.",
                    });
                    setOpen(false);
                  },
                  onError: (error) => setProblem(error.message),
                },
              );
            }}
          >
            <div className="flex flex-col gap-1.5">
              <Label htmlFor={`${id}-name`}>Test case name</Label>
              <Input
                id={`${id}-name`}
                placeholder={`Event ${eventId}`}
                value={name}
                onChange={(e) => setName(e.target.value)}
              />
            </div>
            {lastRun?.reply && (
              <p className="bg-muted rounded-md p-2 text-sm break-words whitespace-pre-wrap">
                {lastRun.reply}
              </p>
            )}
            <fieldset className="flex flex-col gap-3">
              <legend className="mb-2 text-sm font-medium">Expectations</legend>
              {rows.map((r, i) => (
                <div key={i} className="flex flex-col gap-2 rounded-md border p-3">
                  <div className="flex flex-wrap items-end gap-2">
                    <div className="flex min-w-48 flex-1 flex-col gap-1.5">
                      <Label htmlFor={`${id}-type-${i}`}>Expectation {i + 1}</Label>
                      <OptionSelect
                        id={`${id}-type-${i}`}
                        value={r.type}
                        onChange={(type) => set(i, { type: type as Row["type"] })}
                        options={[...TYPES]}
                      />
                    </div>
                    <div className="flex min-w-48 flex-1 flex-col gap-1.5">
                      <Label htmlFor={`${id}-value-${i}`}>
                        {r.type.startsWith("tool")
                          ? "Tool name"
                          : r.type === "reply_matches"
                            ? "Pattern"
                            : "Text"}{" "}
                        <span className="sr-only">of expectation {i + 1}</span>
                      </Label>
                      <Input
                        id={`${id}-value-${i}`}
                        value={r.value}
                        onChange={(e) => set(i, { value: e.target.value })}
                      />
                    </div>
                    <Button
                      type="button"
                      variant="ghost"
                      size="icon"
                      aria-label={`Remove expectation ${i + 1}`}
                      onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}
                    >
                      <Trash2Icon aria-hidden />
                    </Button>
                  </div>
                  {r.type === "tool_called" && (
                    <div className="flex flex-col gap-1.5">
                      <Label htmlFor={`${id}-input-${i}`}>
                        Input fields (JSON, optional){" "}
                        <span className="sr-only">of expectation {i + 1}</span>
                      </Label>
                      <Textarea
                        id={`${id}-input-${i}`}
                        rows={2}
                        placeholder='{"order": "A-1"}'
                        className="font-mono text-xs"
                        value={r.input}
                        onChange={(e) => set(i, { input: e.target.value })}
                      />
                    </div>
                  )}
                </div>
              ))}
              <Button
                type="button"
                variant="outline"
                size="sm"
                className="w-fit"
                disabled={rows.length >= 20}
                onClick={() =>
                  setRows((rs) => [...rs, { type: "reply_contains", value: "", input: "" }])
                }
              >
                <PlusIcon aria-hidden /> Add expectation
              </Button>
            </fieldset>
            {problem && (
              <p role="alert" className="text-destructive text-sm">
                {problem}
              </p>
            )}
            <DialogFooter>
              <Button type="button" variant="outline" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={save.isPending}>
                {save.isPending ? "Saving…" : "Save test case"}
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
    </>
  );
}
