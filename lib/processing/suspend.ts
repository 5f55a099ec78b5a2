import "server-only";
import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { messages, triggerEvents, type Trigger, type TriggerEvent } from "@/db/schema";
import { decisionsFor, denialReason, openApprovals } from "@/lib/approvals/service";
import type { Decision, RunOutcome } from "./run-bot";
import type { AbilityTool } from "@/lib/abilities/tools";

// A run is resumable data, not a stack frame: when it reaches calls that need a decision, its
// state (the messages so far) is stored on the event and the event waits, holding no worker and
// no lease. Once every call is decided the event is queued again (lib/approvals), and whichever
// runner or Inngest function claims it resumes here.

/**
 * The answers a resumed run gives the model, or "waiting" when a call it waits on has not been
 * decided (the event goes back to waiting). Null for a run that did not wait.
 */
export async function decisionsToResume(
  event: Pick<TriggerEvent, "id" | "runState">,
): Promise<Decision[] | "waiting" | null> {
  const state = event.runState;
  if (!state) return null;
  const decided = await decisionsFor(event.id, state.awaiting);
  if (decided.length < state.awaiting.length || decided.some((d) => d.status === "pending"))
    return "waiting";
  return decided.map((d) => ({
    sdkApprovalId: d.sdkApprovalId,
    toolCallId: d.toolCallId,
    approved: d.status === "approved",
    ...(d.status === "approved" ? { key: d.id } : { reason: denialReason(d) }),
  }));
}

/** Calls an earlier attempt of this event made and recorded, by the model's tool call id. */
export async function recordedCalls(db: Db, eventId: string) {
  const rows = await db
    .select({ meta: messages.meta })
    .from(messages)
    .where(
      and(
        eq(messages.eventId, eventId),
        eq(messages.type, "activity"),
        isNotNull(sql`${messages.meta}->>'toolCallId'`),
      ),
    );
  return new Map(
    rows.map(({ meta }) => [
      String(meta.toolCallId),
      { output: meta.output, error: (meta.error as string | null) ?? null },
    ]),
  );
}

/**
 * Stores the held calls and the run's state and sets the event `waiting`, all or nothing, if
 * this run still holds the event. The attempt is given back: waiting is not a failure, and the
 * claim that resumes the run takes it again.
 */
export async function suspendEvent(
  db: Db,
  {
    event,
    trigger,
    conversationId,
    outcome,
    tools,
  }: {
    event: TriggerEvent;
    trigger: Pick<Trigger, "approvalTimeout">;
    conversationId: string;
    outcome: Extract<RunOutcome, { status: "waiting" }>;
    tools: AbilityTool[];
  },
): Promise<boolean> {
  const byName = new Map(tools.map((t) => [t.name, t]));
  return db.transaction(async (tx) => {
    const held = await toWaiting(tx, event, { runState: outcome.state });
    if (!held) return false;
    await openApprovals(tx, {
      event,
      trigger,
      conversationId,
      requests: outcome.held.map((h) => ({
        sdkApprovalId: h.sdkApprovalId,
        toolCallId: h.toolCallId,
        tool: h.tool,
        abilityId: byName.get(h.tool)?.ability.id ?? null,
        effect: byName.get(h.tool)?.effect ?? "write",
        input: h.input,
        text: h.text,
      })),
    });
    return true;
  });
}

/** A claimed event whose calls are not all decided goes back to waiting, untouched. */
export async function backToWaiting(db: Db, event: Pick<TriggerEvent, "id" | "attempts">) {
  await toWaiting(db, event, {});
}

/** Waiting, with the attempt given back, if this claim still holds the event. */
async function toWaiting(
  db: Pick<Db, "update">,
  event: Pick<TriggerEvent, "id" | "attempts">,
  set: Partial<Pick<TriggerEvent, "runState">>,
): Promise<boolean> {
  const rows = await db
    .update(triggerEvents)
    .set({
      ...set,
      status: "waiting",
      lockedUntil: null,
      attempts: sql`greatest(${triggerEvents.attempts} - 1, 0)`,
    })
    .where(
      and(
        eq(triggerEvents.id, event.id),
        eq(triggerEvents.status, "processing"),
        eq(triggerEvents.attempts, event.attempts),
      ),
    )
    .returning({ id: triggerEvents.id });
  return rows.length > 0;
}
