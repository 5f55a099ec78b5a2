"use client";
import type { UseFormRegister } from "react-hook-form";
import { OptionSelect } from "@/components/common/option-select";
import { FieldRow } from "@/components/common/schema-form";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Switch } from "@/components/ui/switch";
import type { TriggerFormValues } from "./trigger-form-values";
import type { Trigger } from "./types";

const REPLY_TYPES = [
  { value: "none", label: "Nowhere: the reply stays in the conversation" },
  { value: "slack", label: "Slack: in the thread of the message" },
  { value: "github", label: "GitHub: a comment on the issue or pull request" },
  { value: "callback", label: "Callback: POST to the event's response_url or a URL" },
];

const TOKEN_HINTS: Record<string, string> = {
  slack: "The app's Bot User OAuth Token (xoxb-…) with chat:write. Write-only: never shown again.",
  github:
    "A token that may write issues and pull requests (issues: write). Write-only: never shown again.",
};

/** After a run: where its reply is delivered, and whether the trigger pauses itself on failures. */
export function ReplyField({
  initial,
  values: v,
  set,
  register,
  errors,
}: {
  initial?: Trigger;
  values: TriggerFormValues;
  set: <K extends keyof TriggerFormValues>(k: K, value: TriggerFormValues[K]) => void;
  register: UseFormRegister<TriggerFormValues>;
  errors: Record<string, string>;
}) {
  const tokenSet = initial?.reply?.type === v.replyType && initial.reply.tokenSet;
  return (
    <fieldset className="flex flex-col gap-3 rounded-md border p-3">
      <legend className="px-1 text-sm font-medium">After a run</legend>
      <FieldRow
        id="trigger-reply"
        label="Deliver the reply to"
        error={errors.reply}
        hint="The server posts the bot's final answer there once per run, retried on errors; the conversation records whether it went through."
      >
        <OptionSelect
          id="trigger-reply"
          value={v.replyType}
          onChange={(t) => set("replyType", t as TriggerFormValues["replyType"])}
          options={REPLY_TYPES}
        />
      </FieldRow>
      {(v.replyType === "slack" || v.replyType === "github") && (
        <FieldRow
          id="trigger-reply-token"
          label={v.replyType === "slack" ? "Slack bot token" : "GitHub token"}
          error={errors["reply.token"]}
          hint={TOKEN_HINTS[v.replyType]}
        >
          <Input
            id="trigger-reply-token"
            type="password"
            autoComplete="off"
            placeholder={tokenSet ? "A token is set; leave empty to keep it" : ""}
            {...register("replyToken")}
            aria-invalid={Boolean(errors["reply.token"])}
          />
        </FieldRow>
      )}
      {v.replyType === "callback" && (
        <FieldRow
          id="trigger-reply-url"
          label="Callback URL (when the event has no response_url)"
          error={errors["reply.url"]}
          hint="Signed with Standard Webhooks headers; the signing secret is shown once after saving."
        >
          <Input
            id="trigger-reply-url"
            type="url"
            placeholder="https://example.com/hooks/bot-replies"
            {...register("replyUrl")}
            aria-invalid={Boolean(errors["reply.url"])}
          />
        </FieldRow>
      )}
      <div className="flex items-center justify-between gap-4">
        <div>
          <Label htmlFor="trigger-auto-pause">Pause by itself when runs keep failing</Label>
          <p className="text-muted-foreground text-xs">
            Events are still stored while paused; notification endpoints hear about it.
          </p>
        </div>
        <Switch
          id="trigger-auto-pause"
          checked={v.autoPauseOn}
          onCheckedChange={(on) => set("autoPauseOn", on)}
        />
      </div>
      {v.autoPauseOn && (
        <div className="grid gap-3 sm:grid-cols-2">
          <FieldRow
            id="trigger-auto-pause-failures"
            label="Failed runs"
            error={errors["autoPause.failures"]}
          >
            <Input
              id="trigger-auto-pause-failures"
              type="number"
              min={1}
              {...register("autoPauseFailures")}
              aria-invalid={Boolean(errors["autoPause.failures"])}
            />
          </FieldRow>
          <FieldRow
            id="trigger-auto-pause-window"
            label="Within (minutes)"
            error={errors["autoPause.window"]}
          >
            <Input
              id="trigger-auto-pause-window"
              type="number"
              min={1}
              {...register("autoPauseMinutes")}
              aria-invalid={Boolean(errors["autoPause.window"])}
            />
          </FieldRow>
        </div>
      )}
    </fieldset>
  );
}
