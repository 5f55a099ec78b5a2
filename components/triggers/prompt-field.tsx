"use client";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { sessionLabel } from "@/lib/events/session-key";
import { MAX_PROMPT_LENGTH, renderPrompt } from "@/lib/triggers/prompt";
import { useLatestEvent } from "./use-triggers";

/** The trigger's prompt, with a preview rendered against its latest event as you type. */
export function PromptField({
  value,
  onChange,
  trigger,
  error,
}: {
  value: string;
  onChange: (v: string) => void;
  trigger?: { id: string; name: string | null };
  error?: string;
}) {
  const latest = useLatestEvent(trigger?.id, Boolean(trigger && value.includes("{{")));
  const event = latest.data?.items[0];
  const preview =
    trigger && event && value.trim()
      ? renderPrompt(value, {
          payload: event.payload,
          contact: event.contact,
          session: sessionLabel(event.sessionKey),
          trigger: { name: trigger.name },
        })
      : null;
  return (
    <div className="grid gap-2">
      <Label htmlFor="trigger-prompt">Prompt (optional)</Label>
      <Textarea
        id="trigger-prompt"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        maxLength={MAX_PROMPT_LENGTH}
        rows={3}
        placeholder="A new order arrived: {{payload.order.id}} for {{payload.customer.email}}. Check stock and reply."
        aria-invalid={Boolean(error)}
        aria-describedby="trigger-prompt-help"
      />
      <p id="trigger-prompt-help" className="text-muted-foreground text-xs">
        The bot&apos;s message for every run. Empty: the payload&apos;s <code>text</code>.
        Placeholders: <code>{"{{payload.path}}"}</code>, <code>{"{{contact.email}}"}</code>,{" "}
        <code>{"{{session}}"}</code>, <code>{"{{trigger.name}}"}</code>. The whole payload always
        goes with it.
      </p>
      {error && (
        <p className="text-destructive text-sm" data-testid="trigger-prompt-error">
          {error}
        </p>
      )}
      {preview && (
        <div className="bg-muted rounded p-2 text-xs" data-testid="prompt-preview">
          <p className="text-muted-foreground mb-1">With the latest event:</p>
          <p className="break-words whitespace-pre-wrap">{preview.text}</p>
          {preview.missing.length > 0 && (
            <p className="text-destructive mt-1">
              No value in that event for {preview.missing.map((m) => `{{${m}}}`).join(", ")}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
