"use client";
import Link from "next/link";
import { useMemo } from "react";
import { useBlueprints } from "@/components/blueprints/use-blueprints";
import { useBots } from "@/components/bots/use-bots";
import { OptionSelect } from "@/components/common/option-select";
import {
  FieldRow,
  FormAlert,
  setServerErrors,
  useFormMessages,
  useSchemaForm,
} from "@/components/common/schema-form";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { Switch } from "@/components/ui/switch";
import { Textarea } from "@/components/ui/textarea";
import { createTriggerSchema, LIMIT_RANGES, updateTriggerSchema } from "@/lib/triggers/schema";
import { ActionsField } from "./actions-field";
import { BurstsField } from "./bursts-field";
import { ReplyField } from "./reply-field";
import { FilterField } from "./filter-field";
import { PromptField } from "./prompt-field";
import { ScheduleField } from "./schedule-field";
import { SourceField } from "./source-field";
import {
  FIELDS,
  fieldOf,
  initialValues,
  NONE,
  proposedApproval,
  SESSION_PRESETS,
  toTriggerInput,
  type TriggerFormValues,
} from "./trigger-form-values";
import type { Trigger, TriggerInput } from "./types";

export function TriggerForm({
  initial,
  submitLabel,
  onSubmit,
}: {
  initial?: Trigger;
  submitLabel: string;
  onSubmit: (input: TriggerInput) => Promise<unknown>;
}) {
  const bots = useBots();
  const blueprints = useBlueprints();
  const timezones = useMemo(
    () =>
      typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : ["UTC"],
    [],
  );
  const form = useSchemaForm({
    schema: initial ? updateTriggerSchema : createTriggerSchema,
    toInput: toTriggerInput,
    defaultValues: initialValues(initial),
  });
  const errors = useFormMessages(form, FIELDS, fieldOf);
  const v = form.watch();
  const set = <K extends keyof TriggerFormValues>(k: K, value: TriggerFormValues[K]) =>
    form.setValue(k, value as never, { shouldDirty: true });
  // a new trigger's approval follows its source until the owner picks one (proposedApproval)
  const propose = (authenticate: boolean, source: string) => {
    if (!initial && !form.getFieldState("approval").isDirty)
      form.setValue("approval", proposedApproval(authenticate, source));
  };
  const invalid = (id: string, field: string) =>
    errors[field] ? { "aria-invalid": true, "aria-describedby": `${id}-error` } : {};

  const submit = form.handleSubmit(async (input) => {
    try {
      await onSubmit(input);
    } catch (error) {
      setServerErrors(form, error);
    }
  });

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
      <FieldRow id="trigger-name" label="Name" error={errors.name}>
        <Input
          id="trigger-name"
          placeholder="Order processing"
          {...form.register("name")}
          {...invalid("trigger-name", "name")}
        />
      </FieldRow>
      <FieldRow
        id="trigger-alias"
        label="Alias (optional)"
        error={errors.alias}
        hint="A name of your choosing the API accepts in place of the id when fetching the trigger."
      >
        <Input
          id="trigger-alias"
          placeholder="orders"
          {...form.register("alias")}
          {...invalid("trigger-alias", "alias")}
        />
      </FieldRow>
      <FieldRow id="trigger-description" label="Description" error={errors.description}>
        <Textarea
          id="trigger-description"
          rows={2}
          {...form.register("description")}
          {...invalid("trigger-description", "description")}
        />
      </FieldRow>
      <FieldRow id="trigger-bot" label="Bot" error={errors.botId}>
        <Select value={v.botId} onValueChange={(value) => set("botId", value)}>
          <SelectTrigger id="trigger-bot" {...invalid("trigger-bot", "botId")}>
            <SelectValue placeholder={bots.isPending ? "Loading bots…" : "Choose a bot"} />
          </SelectTrigger>
          <SelectContent>
            {bots.data?.map((b) => (
              <SelectItem key={b.id} value={b.id}>
                {b.name} ({b.model})
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        {bots.data?.length === 0 && (
          <p className="text-muted-foreground text-xs">
            No bots yet.{" "}
            <Link href="/bots" className="underline">
              Create a bot
            </Link>{" "}
            first.
          </p>
        )}
      </FieldRow>
      <div className="flex items-center justify-between gap-4 rounded-md border p-3">
        <div>
          <Label htmlFor="trigger-authenticate">Require authentication</Label>
          <p className="text-muted-foreground text-xs">
            Senders must prove who they are, the way the chosen source signs its deliveries.
          </p>
        </div>
        <Switch
          id="trigger-authenticate"
          checked={v.authenticate}
          onCheckedChange={(c) => {
            set("authenticate", c);
            propose(c, v.verification.type);
          }}
        />
      </div>
      {v.authenticate && (
        <SourceField
          value={v.verification}
          onChange={(source) => {
            set("verification", source);
            propose(v.authenticate, source.type);
          }}
          secretSet={Boolean(initial?.verification.secretSet)}
          errors={errors}
        />
      )}
      <FilterField
        value={v.filter}
        onChange={(f) => set("filter", f)}
        triggerId={initial?.id}
        error={errors.filter}
      />
      <ScheduleField
        value={v.schedule}
        timezone={v.timezone}
        onChange={(s) => set("schedule", s)}
        serverError={errors.schedule}
      />
      <FieldRow id="trigger-timezone" label="Timezone" error={errors.timezone}>
        <Input
          id="trigger-timezone"
          list="timezones"
          autoComplete="off"
          {...form.register("timezone")}
          {...invalid("trigger-timezone", "timezone")}
        />
        <datalist id="timezones">
          {timezones.map((tz) => (
            <option key={tz} value={tz} />
          ))}
        </datalist>
      </FieldRow>
      <FieldRow
        id="trigger-session"
        label="Session duration"
        error={errors.sessionDuration}
        hint="Events with the same session key inside this window continue one conversation."
      >
        <div className="flex flex-col gap-2 sm:flex-row">
          <Select
            value={v.sessionDuration}
            onValueChange={(value) => set("sessionDuration", value)}
          >
            <SelectTrigger id="trigger-session" {...invalid("trigger-session", "sessionDuration")}>
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              {SESSION_PRESETS.map((p) => (
                <SelectItem key={p.ms} value={String(p.ms)}>
                  {p.label}
                </SelectItem>
              ))}
              <SelectItem value="custom">Custom…</SelectItem>
            </SelectContent>
          </Select>
          {v.sessionDuration === "custom" && (
            <Input
              aria-label="Session duration in minutes"
              type="number"
              min={0}
              className="sm:w-40"
              {...form.register("sessionMinutes")}
            />
          )}
        </div>
      </FieldRow>
      <ActionsField
        botSkillsetId={bots.data?.find((b) => b.id === v.botId)?.skillsetId ?? null}
        values={v}
        set={set}
        register={form.register}
        errors={errors}
        isNew={!initial}
      />
      <BurstsField values={v} set={set} register={form.register} errors={errors} />
      <ReplyField initial={initial} values={v} set={set} register={form.register} errors={errors} />
      <PromptField
        value={v.prompt}
        onChange={(p) => set("prompt", p)}
        trigger={initial}
        error={errors.prompt}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <FieldRow
          id="trigger-max-iterations"
          label="Model steps per run"
          error={errors.maxIterations}
        >
          <Input
            id="trigger-max-iterations"
            type="number"
            min={LIMIT_RANGES.maxIterations.min}
            max={LIMIT_RANGES.maxIterations.max}
            {...form.register("maxIterations")}
            {...invalid("trigger-max-iterations", "maxIterations")}
          />
        </FieldRow>
        <FieldRow id="trigger-max-time" label="Time per run (seconds)" error={errors.maxTime}>
          <Input
            id="trigger-max-time"
            type="number"
            min={LIMIT_RANGES.maxTime.min / 1000}
            max={LIMIT_RANGES.maxTime.max / 1000}
            {...form.register("maxTime")}
            {...invalid("trigger-max-time", "maxTime")}
          />
        </FieldRow>
      </div>
      <FieldRow
        id="trigger-budget"
        label="Monthly token budget (optional)"
        error={errors.monthlyTokenBudget}
        hint="Model tokens per calendar month (UTC). Once spent, events fail with a clear error until the month turns or you raise it. Empty: no limit."
      >
        <Input
          id="trigger-budget"
          type="number"
          min={1}
          inputMode="numeric"
          {...form.register("monthlyTokenBudget")}
          {...invalid("trigger-budget", "monthlyTokenBudget")}
        />
      </FieldRow>
      <FieldRow id="trigger-blueprint" label="Blueprint" error={errors.blueprintId}>
        <OptionSelect
          id="trigger-blueprint"
          value={v.blueprintId}
          onChange={(value) => set("blueprintId", value)}
          first={{ value: NONE, label: "No blueprint" }}
          options={blueprints.data?.map((b) => ({ value: b.id, label: b.name }))}
        />
      </FieldRow>
      <FormAlert message={errors.form} />
      <Button type="submit" disabled={form.formState.isSubmitting}>
        {form.formState.isSubmitting ? "Saving…" : submitLabel}
      </Button>
    </form>
  );
}
