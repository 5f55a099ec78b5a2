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

/**
 * A signing secret the server made, shown this once (a notification endpoint's, a callback
 * reply's): copy it now, it is never shown again.
 */
export function OnceSecretDialog({
  value,
  onClose,
}: {
  value: { title: string; secret: string; hint: string } | null;
  onClose: () => void;
}) {
  return (
    <Dialog open={Boolean(value)} onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="max-w-xl">
        <DialogHeader>
          <DialogTitle>{value?.title}</DialogTitle>
          <DialogDescription>
            Copy the signing secret now: <strong>it will not be shown again.</strong> {value?.hint}
          </DialogDescription>
        </DialogHeader>
        {value && (
          <div className="flex items-center gap-2 text-sm">
            <code
              data-testid="revealed-signing-secret"
              className="bg-muted min-w-0 flex-1 rounded p-2 text-xs break-all"
            >
              {value.secret}
            </code>
            <CopyButton value={value.secret} label="Copy signing secret" />
          </div>
        )}
        <DialogFooter>
          <Button onClick={onClose}>I have stored the signing secret</Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
