"use client";
import { CheckIcon, XIcon } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { JsonBlock, PayloadView } from "@/components/common/json-view";
import { RelativeTime } from "@/components/common/relative-time";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { MAX_APPROVAL_NOTE_LENGTH } from "@/lib/approvals/schema";
import { useDecideApproval, type Approval, type ApprovalItem } from "./use-approvals";

const STATUS_VARIANT = {
  pending: "default",
  approved: "success",
  denied: "destructive",
  expired: "outline",
  cancelled: "outline",
} as const;

/** A held call: what the model wants to do and why, and the decision (or the buttons to make it). */
export function ApprovalCard({
  approval: a,
  event,
  triggerName,
}: {
  approval: Approval;
  /** The event's data card, where the list has it (the inspector shows the event itself). */
  event?: ApprovalItem["event"];
  triggerName?: string | null;
}) {
  return (
    <article
      className="flex flex-col gap-3 rounded-lg border p-4"
      aria-label={`Call of ${a.tool}`}
      data-testid="approval"
    >
      <header className="flex flex-wrap items-center gap-2">
        <span className="font-mono font-medium">{a.tool}</span>
        <Badge variant={a.effect === "write" ? "secondary" : "outline"}>{a.effect}</Badge>
        <Badge variant={STATUS_VARIANT[a.status]}>{a.status}</Badge>
        <span className="text-muted-foreground text-xs">
          <RelativeTime value={a.createdAt} />
          {triggerName !== undefined && <> · {triggerName ?? a.triggerId}</>}
        </span>
        <Link
          className="ml-auto text-sm underline-offset-4 hover:underline"
          href={`/triggers/${a.triggerId}/events/${a.eventId}`}
          aria-label={`Open event of this ${a.tool} call`}
        >
          Open event
        </Link>
      </header>
      {a.text && (
        <p className="text-sm">
          <span className="text-muted-foreground">The bot wrote: </span>
          {a.text}
        </p>
      )}
      <div className="grid gap-1">
        <p className="text-muted-foreground text-xs">Input</p>
        <JsonBlock value={a.input} label={`Input to ${a.tool}`} className="max-h-48" />
      </div>
      {event && (
        <div className="grid gap-1">
          <p className="text-muted-foreground text-xs">
            The event ({event.kind}, <RelativeTime value={event.createdAt} />)
          </p>
          <PayloadView payload={event.payload} contentType={event.contentType} />
        </div>
      )}
      {a.status === "pending" ? <Decide approval={a} /> : <Decided approval={a} />}
    </article>
  );
}

function Decided({ approval: a }: { approval: Approval }) {
  const verb = {
    approved: "Approved",
    denied: "Denied",
    expired: "Expired",
    cancelled: "Cancelled",
  };
  return (
    <p className="text-sm" data-testid="approval-decision">
      {verb[a.status as keyof typeof verb]}
      {a.decidedBy && <> by {a.decidedBy.email ?? a.decidedBy.id}</>}
      {a.decidedAt && (
        <>
          {" "}
          <RelativeTime value={a.decidedAt} />
        </>
      )}
      {a.note && <>: {a.note}</>}
    </p>
  );
}

function Decide({ approval: a }: { approval: Approval }) {
  const decide = useDecideApproval();
  const [note, setNote] = useState("");
  const noteId = `approval-note-${a.id}`;
  const send = (decision: "approve" | "deny") =>
    decide.mutate(
      {
        triggerId: a.triggerId,
        eventId: a.eventId,
        approvalId: a.id,
        decision,
        ...(note.trim() && { note: note.trim() }),
      },
      {
        onSuccess: () => toast.success(decision === "approve" ? "Approved" : "Denied"),
        onError: (error) => toast.error(error.message),
      },
    );
  return (
    <div className="flex flex-col gap-2">
      <div className="grid gap-1">
        <Label htmlFor={noteId}>Note for {a.tool} (optional)</Label>
        <Textarea
          id={noteId}
          rows={2}
          value={note}
          maxLength={MAX_APPROVAL_NOTE_LENGTH}
          onChange={(e) => setNote(e.target.value)}
        />
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <Button size="sm" disabled={decide.isPending} onClick={() => send("approve")}>
          <CheckIcon aria-hidden /> Approve {a.tool}
        </Button>
        <Button
          size="sm"
          variant="outline"
          disabled={decide.isPending}
          onClick={() => send("deny")}
        >
          <XIcon aria-hidden /> Deny {a.tool}
        </Button>
        <span className="text-muted-foreground text-xs">
          Counts as denied <RelativeTime value={a.expiresAt} /> unless decided.
        </span>
      </div>
    </div>
  );
}
