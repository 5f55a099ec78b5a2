import "server-only";
import { and, eq, getTableColumns, inArray, lte, sql, type SQL } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { getTriggerOrThrow } from "@/db/owned";
import { cursorClauses, metaMatches, toPage } from "@/db/pages";
import {
  approvals,
  triggerEvents,
  triggers,
  users,
  type AbilityEffect,
  type Approval,
  type Trigger,
  type TriggerEvent,
} from "@/db/schema";
import { notify } from "@/lib/outbox/enqueue";
import { recordActivity } from "@/lib/conversations/activity";
import { now } from "@/lib/core/clock";
import { ApiError, notFound } from "@/lib/core/errors";
import { iso } from "@/lib/core/fields";
import { newId } from "@/lib/core/ids";
import { dispatchEvents } from "@/lib/jobs/dispatch";
import type { DecideApprovalInput, ListApprovalsQuery } from "./schema";

// Approvals own the `waiting` state of an event: a run that reaches an ability call needing a
// decision stores its call here and the event waits, holding no worker and no lease; once every
// call of that step is decided (approved, denied, expired), the event goes back to `queued` and
// any server's runner, or Inngest, resumes the run from its stored state (lib/processing).

/** A call the model made that needs a decision, as the run hands it over. */
export type ApprovalRequest = {
  sdkApprovalId: string;
  toolCallId: string;
  tool: string;
  abilityId: string | null;
  effect: AbilityEffect;
  input: Record<string, unknown>;
  /** What the model wrote in the same step, before the call. */
  text: string | null;
};

type WithDecider = Approval & { decidedByEmail: string | null };

export const serializeApproval = (a: WithDecider) => ({
  id: a.id,
  triggerId: a.triggerId,
  eventId: a.eventId,
  conversationId: a.conversationId,
  tool: a.tool,
  abilityId: a.abilityId,
  effect: a.effect,
  input: a.input,
  /** The model's words before the call. */
  text: a.text,
  status: a.status,
  note: a.note,
  /** Who decided (null while pending, or when it expired). */
  decidedBy: a.decidedBy ? { id: a.decidedBy, email: a.decidedByEmail } : null,
  decidedAt: iso(a.decidedAt),
  expiresAt: iso(a.expiresAt),
  createdAt: iso(a.createdAt),
});

const withDecider = { ...getTableColumns(approvals), decidedByEmail: users.email };

/**
 * Stores the calls a suspended run waits on and says so in the conversation. Called in the
 * transaction that sets the event `waiting` (lib/processing/suspend.ts), so both happen or
 * neither does.
 */
export async function openApprovals(
  tx: Pick<Db, "insert" | "execute">,
  {
    event,
    trigger,
    conversationId,
    requests,
  }: {
    event: Pick<TriggerEvent, "id" | "ownerId" | "triggerId">;
    trigger: Pick<Trigger, "approvalTimeout">;
    conversationId: string;
    requests: ApprovalRequest[];
  },
): Promise<string[]> {
  const expiresAt = new Date(now().getTime() + trigger.approvalTimeout);
  const ids: string[] = [];
  for (const r of requests) {
    const id = newId("approval");
    ids.push(id);
    await tx
      .insert(approvals)
      .values({
        id,
        ownerId: event.ownerId,
        triggerId: event.triggerId,
        eventId: event.id,
        conversationId,
        sdkApprovalId: r.sdkApprovalId,
        toolCallId: r.toolCallId,
        tool: r.tool,
        abilityId: r.abilityId,
        effect: r.effect,
        input: r.input,
        text: r.text,
        expiresAt,
      })
      .onConflictDoNothing();
    await recordActivity(tx, {
      ownerId: event.ownerId,
      conversationId,
      eventId: event.id,
      text: `${r.tool} waits for approval`,
      meta: {
        step: `approval:${r.toolCallId}`,
        approvalId: id,
        tool: r.tool,
        input: r.input,
        effect: r.effect,
        expiresAt: expiresAt.toISOString(),
      },
    });
    await notify(
      tx,
      event.ownerId,
      "approval.requested",
      `approval.requested:${event.id}:${r.toolCallId}`,
      {
        approvalId: id,
        eventId: event.id,
        triggerId: event.triggerId,
        tool: r.tool,
        input: r.input,
        expiresAt: expiresAt.toISOString(),
      },
      { triggerId: event.triggerId, eventId: event.id, conversationId },
    );
  }
  return ids;
}

/** The decided calls a resumed run answers, by the model's tool call ids. */
export async function decisionsFor(eventId: string, toolCallIds: string[]) {
  if (!toolCallIds.length) return [];
  const db = await getDb();
  return db
    .select(withDecider)
    .from(approvals)
    .leftJoin(users, eq(users.id, approvals.decidedBy))
    .where(and(eq(approvals.eventId, eventId), inArray(approvals.toolCallId, toolCallIds)));
}

/** The words the model reads for a decision (the tool result of a denied call). */
export function denialReason(a: Pick<WithDecider, "status" | "note" | "decidedByEmail">) {
  const note = a.note ? `: ${a.note}` : "";
  if (a.status === "expired") return `expired: nobody decided in time${note}`;
  if (a.status === "cancelled") return "cancelled";
  return `denied by ${a.decidedByEmail ?? "the owner"}${note}`;
}

/**
 * Decides one waiting call. A call decided already is a 409; when the event waits on several,
 * `approvalId` names which. The last decision of a step sends the event back to the queue.
 */
export async function decideApproval({
  ownerId,
  userId,
  triggerId,
  eventId,
  input,
}: {
  ownerId: string;
  userId: string;
  triggerId: string;
  eventId: string;
  input: DecideApprovalInput;
}) {
  await getTriggerOrThrow({ ownerId, id: triggerId });
  const db = await getDb();
  const ofEvent = await db
    .select()
    .from(approvals)
    .where(
      and(
        eq(approvals.eventId, eventId),
        eq(approvals.triggerId, triggerId),
        eq(approvals.ownerId, ownerId),
      ),
    );
  if (!ofEvent.length) throw notFound("Approval");
  const pending = ofEvent.filter((a) => a.status === "pending");
  let target: Approval | undefined;
  if (input.approvalId) {
    target = ofEvent.find((a) => a.id === input.approvalId);
    if (!target) throw notFound("Approval");
  } else if (pending.length === 1) target = pending[0];
  else if (pending.length > 1)
    throw new ApiError(
      "VALIDATION_ERROR",
      `Invalid body: approvalId: the event waits on ${pending.length} calls; name the one you decide`,
      { issues: [{ path: "approvalId", message: "is required: several calls wait" }] },
    );
  else target = ofEvent[0];
  if (target.status !== "pending")
    throw new ApiError("CONFLICT", `This call was ${target.status} already`);
  const status = input.decision === "approve" ? "approved" : "denied";
  const [decided] = await db
    .update(approvals)
    .set({ status, note: input.note || null, decidedBy: userId, decidedAt: now() })
    .where(and(eq(approvals.id, target.id), eq(approvals.status, "pending")))
    .returning();
  if (!decided) throw new ApiError("CONFLICT", "This call was decided a moment ago");
  const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId));
  if (decided.conversationId)
    await recordActivity(db, {
      ownerId,
      conversationId: decided.conversationId,
      eventId,
      text: `${decided.tool} ${status} by ${user?.email ?? userId}${input.note ? `: ${input.note}` : ""}`,
      meta: {
        step: `decision:${decided.toolCallId}`,
        approvalId: decided.id,
        tool: decided.tool,
        decision: status,
        by: { id: userId, email: user?.email ?? null },
        at: decided.decidedAt?.toISOString() ?? null,
        note: decided.note,
      },
    });
  await resumeIfDecided([eventId]);
  return serializeApproval({ ...decided, decidedByEmail: user?.email ?? null });
}

/**
 * Undecided calls past their trigger's approvalTimeout count as denied ("expired"); their
 * events go back to the queue. Run by the inline runner's tick and the Inngest tick.
 */
export async function expireApprovals(at = now()) {
  const db = await getDb();
  const expired = await db
    .update(approvals)
    .set({ status: "expired", decidedAt: at })
    .where(and(eq(approvals.status, "pending"), lte(approvals.expiresAt, at)))
    .returning();
  for (const a of expired)
    if (a.conversationId)
      await recordActivity(db, {
        ownerId: a.ownerId,
        conversationId: a.conversationId,
        eventId: a.eventId,
        text: `${a.tool} expired: nobody decided within the trigger's approvalTimeout`,
        meta: {
          step: `decision:${a.toolCallId}`,
          approvalId: a.id,
          tool: a.tool,
          decision: "expired",
          by: null,
          at: at.toISOString(),
          note: null,
        },
      });
  await resumeIfDecided([...new Set(expired.map((a) => a.eventId))]);
  // and any event decided whose resume was cut off (a crash or a lost connection between the
  // decision and the resume): nothing else would ever send it back to the queue
  await resumeIfDecided("all");
  return { expired: expired.length };
}

/** A cancelled event's waiting calls are cancelled with it (nothing runs). */
export async function cancelApprovals(db: Pick<Db, "update">, eventId: string) {
  await db
    .update(approvals)
    .set({ status: "cancelled", decidedAt: now() })
    .where(and(eq(approvals.eventId, eventId), eq(approvals.status, "pending")));
}

/**
 * Events whose every call is decided go back to `queued` and to the job engine: these, or
 * "all" waiting ones (a waiting event gets its calls in the transaction that makes it wait, so
 * one with none pending is decided).
 */
async function resumeIfDecided(eventIds: string[] | "all") {
  if (!eventIds.length) return;
  const db = await getDb();
  const ready = await db
    .update(triggerEvents)
    .set({ status: "queued", lockedUntil: null })
    .where(
      and(
        eventIds === "all" ? undefined : inArray(triggerEvents.id, eventIds),
        eq(triggerEvents.status, "waiting"),
        sql`not exists (select 1 from ${approvals} a
          where a.event_id = ${triggerEvents.id} and a.status = 'pending')`,
      ),
    )
    .returning();
  await dispatchEvents(ready);
}

/** Approvals newest first (all of the owner's, or one trigger's), with `status` and `meta.*` on the trigger. */
export async function listApprovals({
  ownerId,
  query,
}: {
  ownerId: string;
  query: ListApprovalsQuery;
}) {
  const db = await getDb();
  if (query.triggerId) await getTriggerOrThrow({ ownerId, id: query.triggerId });
  const c = cursorClauses(approvals.id, query);
  const filters: (SQL | undefined)[] = [eq(approvals.ownerId, ownerId), c.where];
  if (query.status) filters.push(eq(approvals.status, query.status));
  if (query.triggerId) filters.push(eq(approvals.triggerId, query.triggerId));
  filters.push(metaMatches(triggers.meta, query.meta));
  const rows = await db
    .select({
      ...withDecider,
      triggerName: triggers.name,
      event: {
        kind: triggerEvents.kind,
        status: triggerEvents.status,
        payload: triggerEvents.payload,
        contentType: triggerEvents.contentType,
        headers: triggerEvents.headers,
        createdAt: triggerEvents.createdAt,
      },
    })
    .from(approvals)
    .innerJoin(triggers, eq(triggers.id, approvals.triggerId))
    .innerJoin(triggerEvents, eq(triggerEvents.id, approvals.eventId))
    .leftJoin(users, eq(users.id, approvals.decidedBy))
    .where(and(...filters))
    .orderBy(c.orderBy)
    .limit(c.limit);
  return toPage(
    rows.map(({ triggerName, event, ...a }) => ({
      ...serializeApproval(a),
      triggerName,
      event: { ...event, headers: event.headers ?? {}, createdAt: iso(event.createdAt) },
    })),
    query.take,
  );
}

/** The approvals of one event, oldest first (the inspector shows them with the run). */
export async function approvalsOfEvent(eventId: string) {
  const db = await getDb();
  const rows = await db
    .select(withDecider)
    .from(approvals)
    .leftJoin(users, eq(users.id, approvals.decidedBy))
    .where(eq(approvals.eventId, eventId))
    .orderBy(approvals.id);
  return rows.map(serializeApproval);
}

/** How many calls wait for the owner (the navigation's badge). */
export async function pendingApprovalCount({ ownerId }: { ownerId: string }) {
  const db = await getDb();
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(approvals)
    .where(and(eq(approvals.ownerId, ownerId), eq(approvals.status, "pending")));
  return { pending: Number(row?.n ?? 0) };
}
