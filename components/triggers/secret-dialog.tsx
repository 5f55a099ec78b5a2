"use client";
import { CopyButton } from "@/components/common/copy-button";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";

export function curlCommand(eventUrl: string, secret?: string) {
  const auth = secret ? ` \\\n  -H "Authorization: Bearer ${secret}"` : "";
  return `curl -X POST "${eventUrl}"${auth} \\\n  -H "Content-Type: application/json" \\\n  -d '{"text": "Hello from curl"}'`;
}

/** Shown once, right after create or rotate: the only time the dashboard displays a secret. */
export function SecretDialog({
  value,
  onClose,
}: {
  value: { secret: string; eventUrl: string; rotated?: boolean; replySecret?: string } | null;
  onClose: () => void;
}) {
  return (
    <Dialog open={Boolean(value)} onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="max-w-2xl">
        <DialogHeader>
          <DialogTitle>{value?.rotated ? "New trigger secret" : "Trigger created"}</DialogTitle>
          <DialogDescription>
            Copy the secret now: <strong>it will not be shown again.</strong>
            {value?.rotated
              ? " The previous secret keeps working for 24 hours so senders can switch."
              : ""}
          </DialogDescription>
        </DialogHeader>
        {value && (
          <div className="flex flex-col gap-4 text-sm">
            <Field
              label="Secret"
              value={value.secret}
              testId="revealed-secret"
              copyLabel="Copy secret"
            />
            {value.replySecret && (
              <Field
                label="Reply signing secret (verifies the callbacks this trigger sends)"
                value={value.replySecret}
                testId="revealed-reply-secret"
                copyLabel="Copy reply signing secret"
              />
            )}
            <Field
              label="Event URL"
              value={value.eventUrl}
              testId="revealed-event-url"
              copyLabel="Copy event URL"
            />
            <div className="flex flex-col gap-1">
              <div className="flex items-center justify-between">
                <span className="font-medium">curl</span>
                <CopyButton
                  value={curlCommand(value.eventUrl, value.secret)}
                  label="Copy curl command"
                />
              </div>
              <pre tabIndex={0} className="bg-muted overflow-x-auto rounded p-3 text-xs">
                {curlCommand(value.eventUrl, value.secret)}
              </pre>
            </div>
          </div>
        )}
        <DialogFooter>
          <Button onClick={onClose}>I have stored the secret</Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

function Field({
  label,
  value,
  testId,
  copyLabel,
}: {
  label: string;
  value: string;
  testId: string;
  copyLabel: string;
}) {
  return (
    <div className="flex flex-col gap-1">
      <span className="font-medium">{label}</span>
      <div className="flex items-center gap-2">
        <code
          data-testid={testId}
          className="bg-muted min-w-0 flex-1 rounded p-2 text-xs break-all"
        >
          {value}
        </code>
        <CopyButton value={value} label={copyLabel} />
      </div>
    </div>
  );
}

export const maskSecret = (secret: string) => `••••${secret.slice(-4)}`;
