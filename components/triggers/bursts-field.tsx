"use client";
import type { UseFormRegister } from "react-hook-form";
import { OptionSelect } from "@/components/common/option-select";
import { FieldRow } from "@/components/common/schema-form";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Switch } from "@/components/ui/switch";
import { LIMIT_RANGES } from "@/lib/triggers/schema";
import type { TriggerFormValues } from "./trigger-form-values";

const BUSY_MODES = [
  { value: "queue", label: "Wait: it runs after the current run" },
  { value: "merge", label: "Join: the running bot reads it before its next step" },
  { value: "interrupt", label: "Interrupt: stop the current calls and go on with both" },
];

/**
 * Bursts: events of one key that arrive together run as one (the model reads them all and answers
 * once), and what an event does that arrives while its conversation's run goes on.
 */
export function BurstsField({
  values: v,
  set,
  register,
  errors,
}: {
  values: TriggerFormValues;
  set: <K extends keyof TriggerFormValues>(k: K, value: TriggerFormValues[K]) => void;
  register: UseFormRegister<TriggerFormValues>;
  errors: Record<string, string>;
}) {
  const R = LIMIT_RANGES;
  return (
    <fieldset className="flex flex-col gap-3 rounded-md border p-3">
      <legend className="px-1 text-sm font-medium">Bursts</legend>
      <div className="flex items-center justify-between gap-4">
        <div>
          <Label htmlFor="trigger-batch">Batch events that arrive together</Label>
          <p className="text-muted-foreground text-xs">
            Four short chat messages in ten seconds, a dozen check events of one push: held until
            the key goes quiet, then one run reads them all in order and answers once. One model run
            instead of many.
          </p>
        </div>
        <Switch
          id="trigger-batch"
          checked={v.batchOn}
          onCheckedChange={(on) => set("batchOn", on)}
        />
      </div>
      {v.batchOn && (
        <div className="grid gap-3 sm:grid-cols-3">
          <NumberRow
            id="trigger-batch-window"
            label="Quiet for (seconds)"
            field="batchWindow"
            error={errors["batch.window"]}
            hint="Runs once no event of the key came for this long."
            range={[R.batchWindow.min / 1000, R.batchWindow.max / 1000]}
            register={register}
          />
          <NumberRow
            id="trigger-batch-max-wait"
            label="Wait at most (seconds)"
            field="batchMaxWait"
            error={errors["batch.maxWait"]}
            hint="A steady trickle still runs this long after its first event."
            range={[R.batchMaxWait.min / 1000, R.batchMaxWait.max / 1000]}
            register={register}
          />
          <NumberRow
            id="trigger-batch-max-events"
            label="At most events per run"
            field="batchMaxEvents"
            error={errors["batch.maxEvents"]}
            hint="More in one burst make several runs."
            range={[R.batchMaxEvents.min, R.batchMaxEvents.max]}
            register={register}
          />
          <div className="sm:col-span-3">
            <FieldRow
              id="trigger-batch-key"
              label="Batch key (CEL, optional)"
              error={errors["batch.key"]}
              hint='Events with the same key run together; empty: the session. For example payload.repository.full_name or headers["x-github-event"].'
            >
              <Input
                id="trigger-batch-key"
                className="font-mono"
                placeholder="the session"
                {...register("batchKey")}
                aria-invalid={Boolean(errors["batch.key"])}
              />
            </FieldRow>
          </div>
        </div>
      )}
      <FieldRow
        id="trigger-on-busy"
        label="An event for a conversation whose run is going on"
        error={errors.onBusy}
        hint="Join and Interrupt apply to events with a session: the bot takes them in before its next step; Interrupt also skips the calls it had not made yet."
      >
        <OptionSelect
          id="trigger-on-busy"
          value={v.onBusy}
          onChange={(m) => set("onBusy", m as TriggerFormValues["onBusy"])}
          options={BUSY_MODES}
        />
      </FieldRow>
    </fieldset>
  );
}

function NumberRow({
  id,
  label,
  field,
  error,
  hint,
  range: [min, max],
  register,
}: {
  id: string;
  label: string;
  field: "batchWindow" | "batchMaxWait" | "batchMaxEvents";
  error?: string;
  hint: string;
  range: [number, number];
  register: UseFormRegister<TriggerFormValues>;
}) {
  return (
    <FieldRow id={id} label={label} error={error} hint={hint}>
      <Input
        id={id}
        type="number"
        min={min}
        max={max}
        {...register(field)}
        aria-invalid={Boolean(error)}
      />
    </FieldRow>
  );
}
