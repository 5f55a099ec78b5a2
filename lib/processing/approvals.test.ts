import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { approvals, bots, conversations, messages, triggerEvents, triggers } from "@/db/schema";
import { decideApproval, expireApprovals, listApprovals } from "@/lib/approvals/service";
import { setClockOffset } from "@/lib/core/clock";
import { deleteConversation } from "@/lib/conversations/service";
import { cancelEvent } from "@/lib/events/service";
import { withLlmStub } from "@/test/llm";
import { startReceiver } from "@/test/http";
import { seedEvent, seedSkillset, seedTrigger } from "@/test/seed";
import { claimEvent } from "./claim";
import { attemptEvent } from "./process";

// Approvals through the real processing code on the real database, with the stub model at the
// network boundary. The HTTP route, the dashboard, kill -9 and two servers are in e2e/approvals.

const { script, requestsOf } = withLlmStub();
afterAll(() => setClockOffset(0));

const eventRow = async (id: string) => {
  const db = await getDb();
  return (await db.select().from(triggerEvents).where(eq(triggerEvents.id, id)))[0];
};

/** A trigger with approval "write" whose bot has one write ability (POST) calling `url`. */
async function heldTrigger(scenario: string, url: string) {
  const trigger = await seedTrigger(
    "openai/gpt-4o-mini",
    { approval: "write" },
    { backstory: `[scenario:${scenario}]` },
  );
  const skillsetId = await seedSkillset(trigger.ownerId, {
    name: "refund",
    config: { method: "POST", url: `${url}/refund`, body: '{"order":"{{input.id}}"}' },
  });
  const db = await getDb();
  await db.update(bots).set({ skillsetId }).where(eq(bots.id, trigger.botId));
  return trigger;
}

/** Claims the event and runs one attempt, as the runner would. */
async function runOnce(eventId: string) {
  const { event } = await claimEvent(eventId);
  if (!event) throw new Error(`event ${eventId} was not claimable`);
  return attemptEvent(event);
}

let waitingCount = 0;
/**
 * An event of a new held trigger (calling `receiverUrl`) whose model's turns are `turns`, run
 * once: the first turn's write call holds it `waiting`.
 */
async function waitingEvent(
  receiverUrl: string,
  turns: unknown[],
  { approvalTimeout, text = "refund" }: { approvalTimeout?: number; text?: string } = {},
) {
  const scenario = `approvals-${Date.now()}-${++waitingCount}`;
  await script(scenario, turns);
  const trigger = await heldTrigger(scenario, receiverUrl);
  if (approvalTimeout) {
    const db = await getDb();
    await db.update(triggers).set({ approvalTimeout }).where(eq(triggers.id, trigger.id));
  }
  const eventId = await seedEvent(trigger, { payload: { text } });
  expect(await runOnce(eventId)).toBe("waiting");
  return { trigger, eventId, scenario };
}

/** The owner decides the waiting event's call. */
const decide = (
  { trigger, eventId }: { trigger: { id: string; ownerId: string }; eventId: string },
  input: { decision: "approve" | "deny"; note?: string },
) =>
  decideApproval({
    ownerId: trigger.ownerId,
    userId: trigger.ownerId,
    triggerId: trigger.id,
    eventId,
    input,
  });

describe("approvals", () => {
  it("a held write call sends nothing, the event waits; approval runs it once with its approval's id as Idempotency-Key, and the run completes", async () => {
    const receiver = await startReceiver();
    const held = await waitingEvent(
      receiver.url,
      [{ text: "Refunding order 42.", tool: "refund", args: { id: "42" } }, { text: "Refunded." }],
      { text: "refund 42" },
    );
    const { trigger, eventId } = held;
    expect(receiver.requests).toHaveLength(0);
    const waiting = await eventRow(eventId);
    expect(waiting).toMatchObject({ status: "waiting", lockedUntil: null, attempts: 0 });
    expect(waiting.runState?.awaiting).toHaveLength(1);
    const list = await listApprovals({ ownerId: trigger.ownerId, query: listQuery("pending") });
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({
      tool: "refund",
      input: { id: "42" },
      effect: "write",
      status: "pending",
    });
    // nobody can claim it meanwhile
    expect((await claimEvent(eventId)).event).toBeNull();

    const decided = await decide(held, { decision: "approve", note: "ok" });
    expect(decided).toMatchObject({ status: "approved", note: "ok" });
    expect(await eventRow(eventId)).toMatchObject({ status: "queued" });
    // a second decision on the same call is a conflict
    await expect(decide(held, { decision: "deny" })).rejects.toMatchObject({ code: "CONFLICT" });

    expect(await runOnce(eventId)).toBe("completed");
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0].headers["idempotency-key"]).toBe(decided.id);
    const done = await eventRow(eventId);
    expect(done).toMatchObject({ status: "completed", runState: null });
    const db = await getDb();
    const steps = await db
      .select()
      .from(messages)
      .where(eq(messages.eventId, eventId))
      .orderBy(messages.id);
    expect(steps.map((m) => m.meta.step)).toEqual([
      "event",
      expect.stringMatching(/^approval:/),
      expect.stringMatching(/^decision:/),
      "tool:0",
      "reply",
    ]);
    expect(steps.at(-1)?.text).toBe("Refunded.");
    await receiver.close();
  });

  it("a denial reaches the model as the tool's result and the run completes without the call", async () => {
    const receiver = await startReceiver();
    const held = await waitingEvent(receiver.url, [
      { tool: "refund", args: { id: "7" } },
      { text: "I did not refund." },
    ]);
    const { eventId, scenario } = held;
    await decide(held, { decision: "deny", note: "not without a ticket" });
    expect(await runOnce(eventId)).toBe("completed");
    expect(receiver.requests).toHaveLength(0);
    const sent = await requestsOf(scenario);
    const toolMessage = JSON.stringify(sent[1].messages.filter((m) => m.role === "tool"));
    expect(toolMessage).toContain("denied by");
    expect(toolMessage).toContain("not without a ticket");
    await receiver.close();
  });

  it("an undecided call expires after approvalTimeout and reads as denied; a cancelled waiting event runs nothing", async () => {
    const receiver = await startReceiver();
    const { trigger, eventId, scenario } = await waitingEvent(
      receiver.url,
      [{ tool: "refund", args: { id: "9" } }, { text: "Nobody answered." }],
      { approvalTimeout: 60_000 },
    );
    const db = await getDb();
    expect((await expireApprovals()).expired).toBe(0);
    setClockOffset(61_000);
    try {
      expect((await expireApprovals()).expired).toBe(1);
    } finally {
      setClockOffset(0);
    }
    expect(await eventRow(eventId)).toMatchObject({ status: "queued" });
    expect(await runOnce(eventId)).toBe("completed");
    expect(receiver.requests).toHaveLength(0);
    const sent = await requestsOf(scenario);
    expect(JSON.stringify(sent[1].messages)).toContain("expired");

    const second = await seedEvent(trigger, { payload: { text: "refund 10" } });
    await script(scenario, [{ tool: "refund", args: { id: "10" } }]);
    expect(await runOnce(second)).toBe("waiting");
    await cancelEvent({ ownerId: trigger.ownerId, triggerId: trigger.id, eventId: second });
    expect(await eventRow(second)).toMatchObject({ status: "cancelled", runState: null });
    const [call] = await db.select().from(approvals).where(eq(approvals.eventId, second));
    expect(call.status).toBe("cancelled");
    expect(receiver.requests).toHaveLength(0);
    await receiver.close();
  });

  it("a waiting event whose conversation was deleted is still decided, expired and cancelled, and never holds up another owner's expiry", async () => {
    const receiver = await startReceiver();
    const db = await getDb();
    const waitingOn = async () => {
      const held = await waitingEvent(
        receiver.url,
        [{ tool: "refund", args: { id: "1" } }, { text: "Done." }],
        { approvalTimeout: 60_000 },
      );
      const { conversationId } = await eventRow(held.eventId);
      return { ...held, conversationId: conversationId! };
    };
    const gone = async (w: Awaited<ReturnType<typeof waitingOn>>) =>
      deleteConversation({ ownerId: w.trigger.ownerId, id: w.conversationId });

    // expiry: the deleted conversation's event (of one owner) and another owner's, in one tick
    const deleted = await waitingOn();
    const other = await waitingOn();
    await gone(deleted);
    setClockOffset(61_000);
    try {
      expect((await expireApprovals()).expired).toBe(2);
    } finally {
      setClockOffset(0);
    }
    expect(await eventRow(deleted.eventId)).toMatchObject({ status: "queued" });
    expect(await eventRow(other.eventId)).toMatchObject({ status: "queued" });
    const kept = await db.select().from(messages).where(eq(messages.eventId, other.eventId));
    expect(kept.find((m) => String(m.meta.step).startsWith("decision:"))?.meta).toMatchObject({
      decision: "expired",
    });
    // the run goes on in a conversation of its own
    expect(await runOnce(deleted.eventId)).toBe("completed");
    const rerun = await eventRow(deleted.eventId);
    expect(rerun.conversationId).not.toBe(deleted.conversationId);
    expect(
      await db.select().from(conversations).where(eq(conversations.id, rerun.conversationId!)),
    ).toHaveLength(1);

    // a decision
    const decided = await waitingOn();
    await gone(decided);
    await expect(decide(decided, { decision: "deny" })).resolves.toMatchObject({
      status: "denied",
    });
    expect(await eventRow(decided.eventId)).toMatchObject({ status: "queued" });

    // a cancellation
    const cancelled = await waitingOn();
    await gone(cancelled);
    await cancelEvent({
      ownerId: cancelled.trigger.ownerId,
      triggerId: cancelled.trigger.id,
      eventId: cancelled.eventId,
    });
    expect(await eventRow(cancelled.eventId)).toMatchObject({ status: "cancelled" });
    expect(
      await db.select().from(messages).where(eq(messages.conversationId, cancelled.conversationId)),
    ).toHaveLength(0);
    await receiver.close();
  });

  it("an event decided whose resume was cut off (a crash after the decision) goes back to the queue at the next tick", async () => {
    const receiver = await startReceiver();
    const { eventId } = await waitingEvent(receiver.url, [
      { tool: "refund", args: { id: "5" } },
      { text: "Refunded." },
    ]);
    // the decision committed, and the process died before it sent the event back
    const db = await getDb();
    await db
      .update(approvals)
      .set({ status: "approved", decidedAt: new Date() })
      .where(eq(approvals.eventId, eventId));
    expect(await eventRow(eventId)).toMatchObject({ status: "waiting" });
    expect((await expireApprovals()).expired).toBe(0);
    expect(await eventRow(eventId)).toMatchObject({ status: "queued" });
    expect(await runOnce(eventId)).toBe("completed");
    expect(receiver.requests).toHaveLength(1);
    await receiver.close();
  });
});

const listQuery = (status: "pending") => ({ status, take: 20, order: "desc" as const });
