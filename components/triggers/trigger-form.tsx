"use client";
import Link from "next/link";
import { useMemo, useState } from "react";
import { useBlueprints } from "@/components/blueprints/use-blueprints";
import { useBots } from "@/components/bots/use-bots";
import { OptionSelect } from "@/components/common/option-select";
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
import { formErrors } from "@/lib/api-client";
import { FilterField } from "./filter-field";
import { PromptField } from "./prompt-field";
import { ScheduleField } from "./schedule-field";
import { SourceField, type SourceValue } from "./source-field";
import type { Trigger, TriggerInput } from "./types";

const NONE = "none";
const MINUTE = 60_000;
export const SESSION_PRESETS: { label: string; ms: number }[] = [
  { label: "No session (new conversation per event)", ms: 0 },
  { label: "5 minutes", ms: 5 * MINUTE },
  { label: "30 minutes", ms: 30 * MINUTE },
  { label: "1 hour", ms: 60 * MINUTE },
  { label: "1 day", ms: 24 * 60 * MINUTE },
  { label: "7 days", ms: 7 * 24 * 60 * MINUTE },
];

function browserTimezone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

type Errors = Partial<Record<string, string>>;
const FIELDS = [
  "name",
  "description",
  "botId",
  "schedule",
  "timezone",
  "sessionDuration",
  "blueprintId",
  "prompt",
  "filter",
  "verification.header",
  "verification.secret",
  "maxIterations",
  "maxTime",
];

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
  const initialSession = initial?.sessionDuration ?? 60 * MINUTE;
  const [v, setV] = useState({
    name: initial?.name ?? "",
    description: initial?.description ?? "",
    botId: initial?.botId ?? "",
    authenticate: initial?.authenticate ?? true,
    schedule: initial?.schedule ?? "",
    timezone: initial?.timezone ?? browserTimezone(),
    sessionPreset: SESSION_PRESETS.some((p) => p.ms === initialSession)
      ? String(initialSession)
      : "custom",
    sessionMinutes: String(Math.round(initialSession / MINUTE)),
    blueprintId: initial?.blueprintId ?? NONE,
    prompt: initial?.prompt ?? "",
    filter: initial?.filter ?? "",
    source: {
      type: initial?.verification.type ?? "bearer",
      secret: "",
      header: initial?.verification.header ?? "",
      algorithm: initial?.verification.algorithm ?? "sha256",
      encoding: initial?.verification.encoding ?? "hex",
      prefix: initial?.verification.prefix ?? "",
    } as SourceValue,
    maxIterations: String(initial?.maxIterations ?? 6),
    maxTimeSeconds: String((initial?.maxTime ?? 60_000) / 1000),
  });
  const [errors, setErrors] = useState<Errors>({});
  const [pending, setPending] = useState(false);
  const set = <K extends keyof typeof v>(k: K, value: (typeof v)[K]) =>
    setV((s) => ({ ...s, [k]: value }));

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const next: Errors = {};
    if (!v.botId) next.botId = "Choose the bot that will process events";
    const minutes = Number(v.sessionMinutes);
    if (v.sessionPreset === "custom" && (!Number.isFinite(minutes) || minutes < 0))
      next.sessionDuration = "Enter a number of minutes (0 or more)";
    setErrors(next);
    if (Object.keys(next).length) return;
    setPending(true);
    try {
      await onSubmit({
        name: v.name.trim() || null,
        description: v.description.trim() || null,
        botId: v.botId,
        authenticate: v.authenticate,
        schedule: v.schedule.trim() || null,
        timezone: v.timezone.trim() || "UTC",
        sessionDuration:
          v.sessionPreset === "custom" ? Math.round(minutes * MINUTE) : Number(v.sessionPreset),
        blueprintId: v.blueprintId === NONE ? null : v.blueprintId,
        prompt: v.prompt.trim() ? v.prompt : null,
        filter: v.filter.trim() ? v.filter : null,
        verification: {
          type: v.source.type,
          ...(v.source.secret.trim() && { secret: v.source.secret.trim() }),
          ...(v.source.type === "hmac" && {
            header: v.source.header.trim(),
            algorithm: v.source.algorithm,
            encoding: v.source.encoding,
            prefix: v.source.prefix || null,
          }),
        },
        maxIterations: Number(v.maxIterations),
        maxTime: Math.round(Number(v.maxTimeSeconds) * 1000),
      });
    } catch (error) {
      setErrors(
        formErrors(error, FIELDS, (path) => (path === "triggerSchedule" ? "schedule" : path)),
      );
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
      <FieldRow id="trigger-name" label="Name" error={errors.name}>
        <Input
          id="trigger-name"
          value={v.name}
          onChange={(e) => set("name", e.target.value)}
          maxLength={255}
          placeholder="Order processing"
          aria-invalid={Boolean(errors.name)}
        />
      </FieldRow>
      <FieldRow id="trigger-description" label="Description" error={errors.description}>
        <Textarea
          id="trigger-description"
          value={v.description}
          onChange={(e) => set("description", e.target.value)}
          maxLength={2000}
          rows={2}
        />
      </FieldRow>
      <FieldRow id="trigger-bot" label="Bot" error={errors.botId}>
        <Select value={v.botId} onValueChange={(value) => set("botId", value)}>
          <SelectTrigger id="trigger-bot" aria-invalid={Boolean(errors.botId)}>
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
          onCheckedChange={(c) => set("authenticate", c)}
        />
      </div>
      {v.authenticate && (
        <SourceField
          value={v.source}
          onChange={(source) => set("source", source)}
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
          value={v.timezone}
          onChange={(e) => set("timezone", e.target.value)}
          autoComplete="off"
          aria-invalid={Boolean(errors.timezone)}
        />
        <datalist id="timezones">
          {timezones.map((tz) => (
            <option key={tz} value={tz} />
          ))}
        </datalist>
      </FieldRow>
      <FieldRow id="trigger-session" label="Session duration" error={errors.sessionDuration}>
        <div className="flex flex-col gap-2 sm:flex-row">
          <Select value={v.sessionPreset} onValueChange={(value) => set("sessionPreset", value)}>
            <SelectTrigger id="trigger-session">
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
          {v.sessionPreset === "custom" && (
            <Input
              aria-label="Session duration in minutes"
              type="number"
              min={0}
              value={v.sessionMinutes}
              onChange={(e) => set("sessionMinutes", e.target.value)}
              className="sm:w-40"
            />
          )}
        </div>
        <p className="text-muted-foreground text-xs">
          Events with the same session key inside this window continue one conversation.
        </p>
      </FieldRow>
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
            min={1}
            max={20}
            value={v.maxIterations}
            onChange={(e) => set("maxIterations", e.target.value)}
            aria-invalid={Boolean(errors.maxIterations)}
          />
        </FieldRow>
        <FieldRow id="trigger-max-time" label="Time per run (seconds)" error={errors.maxTime}>
          <Input
            id="trigger-max-time"
            type="number"
            min={1}
            max={300}
            value={v.maxTimeSeconds}
            onChange={(e) => set("maxTimeSeconds", e.target.value)}
            aria-invalid={Boolean(errors.maxTime)}
          />
        </FieldRow>
      </div>
      <FieldRow id="trigger-blueprint" label="Blueprint" error={errors.blueprintId}>
        <OptionSelect
          id="trigger-blueprint"
          value={v.blueprintId}
          onChange={(value) => set("blueprintId", value)}
          first={{ value: NONE, label: "No blueprint" }}
          options={blueprints.data?.map((b) => ({ value: b.id, label: b.name }))}
        />
      </FieldRow>
      {errors.form && (
        <p role="alert" className="text-destructive text-sm">
          {errors.form}
        </p>
      )}
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : submitLabel}
      </Button>
    </form>
  );
}

function FieldRow({
  id,
  label,
  error,
  children,
}: {
  id: string;
  label: string;
  error?: string;
  children: React.ReactNode;
}) {
  return (
    <div className="grid gap-2">
      <Label htmlFor={id}>{label}</Label>
      {children}
      {error && (
        <p className="text-destructive text-sm" data-testid={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
