"use client";
import dynamic from "next/dynamic";
import { RelativeTime } from "@/components/common/relative-time";
import { ListSkeleton } from "@/components/common/states";
import { KeyRoundIcon, Trash2Icon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { OnceSecretDialog } from "@/components/common/once-secret-dialog";
import { maskSecret, SecretDialog } from "./secret-dialog";
import { TestConsole } from "./test-console";
import type { Trigger } from "./types";
import {
  useDeleteTrigger,
  useRevokePreviousSecret,
  useRotateReplySecret,
  useRotateSecret,
  useUpdateTrigger,
} from "./use-triggers";

// Loaded when needed: it brings the schedule parser for the live preview.
const TriggerForm = dynamic(() => import("./trigger-form").then((m) => m.TriggerForm), {
  loading: () => <ListSkeleton rows={4} />,
});

export function TriggerSettings({ trigger: t }: { trigger: Trigger }) {
  const router = useRouter();
  const update = useUpdateTrigger(t.id);
  const rotate = useRotateSecret(t.id);
  const revoke = useRevokePreviousSecret(t.id);
  const remove = useDeleteTrigger();
  const [revealed, setRevealed] = useState<{
    secret: string;
    eventUrl: string;
    rotated: true;
  } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [signing, setSigning] = useState<{ title: string; secret: string; hint: string } | null>(
    null,
  );
  const rotateReply = useRotateReplySecret(t.id);
  const label = t.name || t.id;

  return (
    <div className="grid gap-4 lg:grid-cols-[2fr_1fr]">
      <Card>
        <CardTitle>Configuration</CardTitle>
        <TriggerForm
          key={t.updatedAt}
          initial={t}
          submitLabel="Save changes"
          onSubmit={async (input) => {
            const saved = await update.mutateAsync(input);
            toast.success("Trigger saved");
            if (saved.replySecret)
              setSigning({
                title: "Reply signing secret",
                secret: saved.replySecret,
                hint: "Callbacks carry webhook-signature made with it (Standard Webhooks).",
              });
          }}
        />
      </Card>
      <div className="flex flex-col gap-4">
        <TestConsole trigger={t} />
        {t.reply?.type === "callback" && (
          <Card>
            <CardTitle>Reply signing secret</CardTitle>
            <CardDescription>
              Callbacks are signed with it (Standard Webhooks: webhook-id, webhook-timestamp,
              webhook-signature). Rotating stops the old one at once.
            </CardDescription>
            <Button
              variant="outline"
              size="sm"
              className="w-fit"
              disabled={rotateReply.isPending}
              onClick={() =>
                rotateReply.mutate(undefined, {
                  onSuccess: (r) =>
                    setSigning({
                      title: "New reply signing secret",
                      secret: r.replySecret,
                      hint: "The previous one no longer signs.",
                    }),
                  onError: (e) => toast.error(e.message),
                })
              }
            >
              <KeyRoundIcon /> Rotate reply signing secret
            </Button>
          </Card>
        )}
        <Card>
          <CardTitle>Secret</CardTitle>
          <CardDescription>
            Current secret <span className="font-mono">{maskSecret(t.secret)}</span>. Rotating
            issues a new one; the old one keeps working for 24 hours.
          </CardDescription>
          {t.previousSecretExpiresAt && (
            <div className="flex flex-col gap-2 rounded-md border p-3 text-sm">
              <p>
                The previous secret still works until{" "}
                <RelativeTime value={t.previousSecretExpiresAt} />.
              </p>
              <Button
                variant="outline"
                size="sm"
                className="w-fit"
                disabled={revoke.isPending}
                onClick={() =>
                  revoke.mutate(undefined, {
                    onSuccess: () => toast.success("The old secret no longer works"),
                    onError: (e) => toast.error(e.message),
                  })
                }
              >
                Revoke old secret now
              </Button>
            </div>
          )}
          <Button
            variant="outline"
            disabled={rotate.isPending}
            onClick={() =>
              rotate.mutate(undefined, {
                onSuccess: (res) =>
                  setRevealed({ secret: res.secret, eventUrl: t.eventUrl, rotated: true }),
                onError: (e) => toast.error(e.message),
              })
            }
          >
            <KeyRoundIcon /> Rotate secret
          </Button>
        </Card>
        <Card className="border-destructive/40">
          <CardTitle>Delete trigger</CardTitle>
          <CardDescription>
            The URL stops accepting events. Conversations it recorded remain.
          </CardDescription>
          <Button variant="destructive" onClick={() => setConfirming(true)}>
            <Trash2Icon /> Delete trigger
          </Button>
        </Card>
      </div>
      <SecretDialog value={revealed} onClose={() => setRevealed(null)} />
      <Dialog open={confirming} onOpenChange={setConfirming}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Delete “{label}”?</DialogTitle>
            <DialogDescription>
              Its event URL, secret, schedule and event log are deleted. Its conversations remain
              under Conversations, and its bot is not affected. This cannot be undone.
            </DialogDescription>
          </DialogHeader>
          <DialogFooter>
            <Button variant="outline" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button
              variant="destructive"
              disabled={remove.isPending}
              onClick={() =>
                remove.mutate(t.id, {
                  onSuccess: () => {
                    toast.success(`Deleted ${label}`);
                    router.push("/triggers");
                  },
                  onError: (e) => toast.error(e.message),
                })
              }
            >
              Delete “{label}”
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
      <OnceSecretDialog value={signing} onClose={() => setSigning(null)} />
    </div>
  );
}
