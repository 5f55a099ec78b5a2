"use client";
import type { UseFormRegister } from "react-hook-form";
import { FieldRow } from "@/components/common/schema-form";
import { useAbilities } from "@/components/skillsets/use-skillsets";
import { OptionSelect } from "@/components/common/option-select";
import { Badge } from "@/components/ui/badge";
import { Input } from "@/components/ui/input";
import { LIMIT_RANGES } from "@/lib/triggers/schema";
import type { TriggerFormValues } from "./trigger-form-values";

const MINUTE = 60_000;

const ABILITY_MODES = [
  { value: "all", label: "All of the bot's abilities" },
  { value: "read", label: "Only abilities that read" },
  { value: "chosen", label: "Only the abilities chosen below" },
];

const APPROVAL_MODES = [
  { value: "none", label: "None: every call runs at once" },
  { value: "write", label: "Calls that write wait for a decision" },
  { value: "all", label: "Every call waits for a decision" },
];

/**
 * What the trigger's bot may do: which of its skillset's abilities are offered to the model at
 * all, and which calls wait for a person's decision (Approvals) before they run.
 */
export function ActionsField({
  botSkillsetId,
  values: v,
  set,
  register,
  errors,
  isNew,
}: {
  botSkillsetId: string | null;
  values: TriggerFormValues;
  set: <K extends keyof TriggerFormValues>(k: K, value: TriggerFormValues[K]) => void;
  register: UseFormRegister<TriggerFormValues>;
  errors: Record<string, string>;
  isNew: boolean;
}) {
  const abilities = useAbilities(botSkillsetId ?? "");
  const list = botSkillsetId ? (abilities.data ?? []) : [];
  const toggle = (id: string, on: boolean) =>
    set(
      "abilityIds",
      on ? [...new Set([...v.abilityIds, id])] : v.abilityIds.filter((x) => x !== id),
    );
  return (
    <fieldset className="flex flex-col gap-3 rounded-md border p-3">
      <legend className="px-1 text-sm font-medium">What the bot may do</legend>
      <FieldRow
        id="trigger-abilities"
        label="Abilities offered to the model"
        error={errors.abilities}
        hint="Abilities left out are not offered at all: anyone who can send an event writes into what the bot reads, so offer only what this source should be able to make it do."
      >
        <OptionSelect
          id="trigger-abilities"
          value={v.abilitiesMode}
          onChange={(m) => set("abilitiesMode", m as TriggerFormValues["abilitiesMode"])}
          options={ABILITY_MODES}
        />
      </FieldRow>
      {v.abilitiesMode === "chosen" && (
        <div role="group" aria-label="Abilities to offer" className="flex flex-col gap-1">
          {!botSkillsetId && (
            <p className="text-muted-foreground text-xs">The chosen bot has no skillset.</p>
          )}
          {list.map((a) => (
            <label key={a.id} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                className="accent-primary size-4"
                checked={v.abilityIds.includes(a.id)}
                onChange={(e) => toggle(a.id, e.target.checked)}
                aria-label={`Offer ${a.name}`}
              />
              <span className="font-mono">{a.name}</span>
              <Badge variant={a.effect === "write" ? "secondary" : "outline"}>{a.effect}</Badge>
            </label>
          ))}
        </div>
      )}
      <FieldRow
        id="trigger-approval"
        label="Approval before a call runs"
        error={errors.approval}
        hint={
          isNew
            ? "Proposed for senders that do not sign their deliveries: a write call waits on the Approvals page until someone approves or denies it."
            : "A waiting call holds no worker; approve or deny it on the Approvals page or in the event."
        }
      >
        <OptionSelect
          id="trigger-approval"
          value={v.approval}
          onChange={(m) => set("approval", m as TriggerFormValues["approval"])}
          options={APPROVAL_MODES}
        />
      </FieldRow>
      {v.approval !== "none" && (
        <FieldRow
          id="trigger-approval-timeout"
          label="Decide within (minutes)"
          error={errors.approvalTimeout}
          hint="An undecided call counts as denied (expired) after this long: 1 minute to 7 days."
        >
          <Input
            id="trigger-approval-timeout"
            type="number"
            min={LIMIT_RANGES.approvalTimeout.min / MINUTE}
            max={LIMIT_RANGES.approvalTimeout.max / MINUTE}
            {...register("approvalMinutes")}
            aria-invalid={Boolean(errors.approvalTimeout)}
          />
        </FieldRow>
      )}
    </fieldset>
  );
}
