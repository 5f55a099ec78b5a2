import http from "node:http";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { bots, conversations, messages, triggerEvents, triggers } from "@/db/schema";
import { withLlmStub } from "@/test/llm";
import { startReceiver } from "@/test/http";
import { cancelEvent } from "@/lib/events/service";
import { seedEvent, seedSkillset, seedTrigger } from "@/test/seed";
import { joinRun } from "./batch";
import { claimBatch, claimEvent, handBack, MAX_ATTEMPTS } from "./claim";
import { resolveConversation } from "./conversation";
import { completeEvent } from "./complete";
import { attemptEvent } from "./process";
import { RunControl } from "./run-control";

const { script, callsOf, requestsOf } = withLlmStub();

const eventRow = async (id: string) => {
  const db = await getDb();
  return (await db.select().from(triggerEvents).where(eq(triggerEvents.id, id)))[0];
};
const messagesOf = async (eventId: string) => {
  const db = await getDb();
  return db.select().from(messages).where(eq(messages.eventId, eventId)).orderBy(messages.id);
};

/** A trigger whose bot (the stub model, scripted by `scenario`) has one ability calling `url`. */
async function triggerWithTool(scenario: string, url: string) {
  const trigger = await seedTrigger(
    "openai/gpt-4o-mini",
    {},
    { backstory: `[scenario:${scenario}]` },
  );
  const skillsetId = await seedSkillset(trigger.ownerId, {
    name: "ship",
    config: { method: "POST", url: `${url}/ship`, timeoutMs: 5000 },
  });
  const db = await getDb();
  await db.update(bots).set({ skillsetId }).where(eq(bots.id, trigger.botId));
  return trigger;
}

describe("a run that lost its claim", () => {
  it("stops before its next side effect: the ability is called by one holder only, the loser records nothing", async () => {
    const receiver = await startReceiver();
    const scenario = `lease-${Date.now()}`;
    // holder 1's model call stalls; holder 2 (after the lease ran out) gets an answer at once
    await script(scenario, [
      { tool: "ship", args: { n: 1 }, delayMs: 2500 },
      { tool: "ship", args: { n: 2 } },
      { text: "shipped" },
      { text: "too late" },
    ]);
    const trigger = await triggerWithTool(scenario, receiver.url);
    const id = await seedEvent(trigger);
    const db = await getDb();

    const first = (await claimBatch(10)).claimed.find((e) => e.id === id)!;
    const loser = attemptEvent(first);
    await expect.poll(() => callsOf(scenario)).toBe(1); // holder 1 waits for its model
    // holder 1 stalls past its lease (a paused process, say): another server takes the event over
    await db
      .update(triggerEvents)
      .set({ lockedUntil: new Date(Date.now() - 60_000) })
      .where(eq(triggerEvents.id, id));
    const second = (await claimEvent(id)).event!;
    expect(second.attempts).toBe(2);
    expect(await attemptEvent(second)).toBe("completed");

    // holder 1's model answers with a tool call now: it must not reach the receiver
    expect(await loser).toBe("lost");
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0].headers["idempotency-key"]).toBe(`${id}-0`);
    const recorded = await messagesOf(id);
    expect(recorded.map((m) => [m.type, m.meta.step])).toEqual([
      ["user", "event"],
      ["activity", "tool:0"],
      ["bot", "reply"],
    ]);
    expect(recorded[2].text).toBe("shipped");
    expect(await eventRow(id)).toMatchObject({ status: "completed", attempts: 2 });
    await receiver.close();
  });

  it("a refused renewal aborts the model call at once (one signal reaches it)", async () => {
    const scenario = `abort-${Date.now()}`;
    await script(scenario, [{ text: "slow", delayMs: 20_000 }]);
    const trigger = await seedTrigger(
      "openai/gpt-4o-mini",
      {},
      { backstory: `[scenario:${scenario}]` },
    );
    const id = await seedEvent(trigger);
    const event = (await claimBatch(10)).claimed.find((e) => e.id === id)!;
    const control = new RunControl(event);
    const started = Date.now();
    const run = attemptEvent(event, control);
    await expect.poll(() => callsOf(scenario)).toBe(1);
    control.stop("lost");
    expect(await run).toBe("lost");
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await messagesOf(id)).toHaveLength(1); // the user message only: no failure, no reply
    expect((await eventRow(id)).status).toBe("processing"); // left to whoever holds it
  });
});

describe("poison events", () => {
  it("an event whose runs keep dying is not claimed again after the last attempt: failed, with the reason in its conversation", async () => {
    const trigger = await seedTrigger();
    const id = await seedEvent(trigger, {
      status: "processing",
      attempts: MAX_ATTEMPTS,
      lockedUntil: new Date(Date.now() - 1000),
    });
    // never claimed; failed by the claims' look for poison events, made at most once a second
    const started = Date.now();
    let poisoned: string[] = [];
    while (!poisoned.includes(id)) {
      expect(Date.now() - started).toBeLessThan(3000);
      const claim = await claimBatch(100);
      expect(claim.claimed.find((e) => e.id === id)).toBeUndefined();
      poisoned = claim.poisoned.map((e) => e.id);
      if (!poisoned.includes(id)) await new Promise((r) => setTimeout(r, 100));
    }
    const row = await eventRow(id);
    expect(row).toMatchObject({
      status: "failed",
      error: `gave up after ${MAX_ATTEMPTS} attempts: the process running it stopped each time`,
    });
    // a crash before the last attempt is simply re-claimed
    const retried = await seedEvent(trigger, {
      status: "processing",
      attempts: MAX_ATTEMPTS - 1,
      lockedUntil: new Date(Date.now() - 1000),
    });
    expect((await claimBatch(100)).claimed.find((e) => e.id === retried)?.attempts).toBe(
      MAX_ATTEMPTS,
    );
  });
});

describe("hand-back on shutdown", () => {
  it("a run stopped for shutdown goes back to queued with its attempt not charged, runnable at once", async () => {
    const scenario = `shutdown-${Date.now()}`;
    await script(scenario, [{ text: "slow", delayMs: 20_000 }, { text: "done" }]);
    const trigger = await seedTrigger(
      "openai/gpt-4o-mini",
      {},
      { backstory: `[scenario:${scenario}]` },
    );
    const id = await seedEvent(trigger);
    const event = (await claimBatch(10)).claimed.find((e) => e.id === id)!;
    const control = new RunControl(event);
    const run = attemptEvent(event, control);
    await expect.poll(() => callsOf(scenario)).toBe(1);
    control.stop("shutdown");
    expect(await run).toBe("shutdown");
    expect(await eventRow(id)).toMatchObject({ status: "queued", attempts: 0, lockedUntil: null });
    const again = (await claimBatch(10)).claimed.find((e) => e.id === id)!;
    expect(again.attempts).toBe(1);
    expect(await attemptEvent(again)).toBe("completed");
    // an event claimed but never started is handed back the same way
    const waiting = await seedEvent(trigger);
    const claimed = (await claimBatch(10)).claimed.find((e) => e.id === waiting)!;
    expect(await handBack([claimed])).toBe(1);
    expect(await eventRow(waiting)).toMatchObject({ status: "queued", attempts: 0 });
  });
});

describe("order within a session", () => {
  it("an earlier event whose claim ran out runs again before a later one of its session, never beside it", async () => {
    const trigger = await seedTrigger();
    const first = await seedEvent(trigger, {
      sessionKey: "session:s",
      status: "processing",
      attempts: 1,
      lockedUntil: new Date(Date.now() - 1000),
    });
    const second = await seedEvent(trigger, { sessionKey: "session:s" });
    const { claimed } = await claimBatch(10);
    expect(claimed.map((e) => e.id)).toContain(first);
    expect(claimed.map((e) => e.id)).not.toContain(second);
    // and claimed events can be left out of a claim (a runner's buffer holds them)
    const third = await seedEvent(trigger);
    const again = await claimBatch(10, 10, { ids: [third] });
    expect(again.claimed.map((e) => e.id)).not.toContain(third);
  });
});

describe("fair claims", () => {
  it("owners are served in turn: one owner's backlog does not fill a claim", async () => {
    const a = await seedTrigger();
    const b = await seedTrigger();
    for (let i = 0; i < 30; i++) await seedEvent(a);
    const bIds = [await seedEvent(b), await seedEvent(b)];
    const { claimed } = await claimBatch(8, 4);
    const fromA = claimed.filter((e) => e.ownerId === a.ownerId).length;
    expect(fromA).toBeLessThanOrEqual(4);
    expect(claimed.filter((e) => bIds.includes(e.id))).toHaveLength(2);
    // owners already holding their share can be left out of a claim
    const next = await claimBatch(8, 4, { owners: [a.ownerId] });
    expect(next.claimed.every((e) => e.ownerId !== a.ownerId)).toBe(true);
  });
});

describe("completing a run", () => {
  it("stores the reply and touches the conversation only while the run holds the event", async () => {
    const db = await getDb();
    const trigger = await seedTrigger();
    const id = await seedEvent(trigger);
    const [row] = await db.select().from(triggers).where(eq(triggers.id, trigger.id));
    const first = (await claimEvent(id)).event!;
    const conversation = await resolveConversation(db, first, row, trigger.botId, { run: true });
    expect(conversation.created).toBe(true);
    const touched = async () =>
      (await db.select().from(conversations).where(eq(conversations.id, conversation.id)))[0]
        .lastActivityAt;
    const before = await touched();

    // another server took the event over (attempt 2): the first run's completion stores nothing
    await db
      .update(triggerEvents)
      .set({ lockedUntil: new Date(Date.now() - 60_000) })
      .where(eq(triggerEvents.id, id));
    const second = (await claimEvent(id)).event!;
    await new Promise((r) => setTimeout(r, 5)); // the completion's time is later than the creation's
    const reply = {
      text: 'done: "quoted" \\ and 😀',
      meta: { step: "reply", model: "echo", modelCalls: 1 },
    };
    expect(await completeEvent(db, first, conversation.id, reply)).toBe(false);
    expect((await messagesOf(id)).map((m) => m.type)).toEqual(["user"]);
    expect(await touched()).toEqual(before);
    expect(await eventRow(id)).toMatchObject({ status: "processing", attempts: 2 });

    // the holder completes: event, reply (its meta stored as JSON, not as a string) and conversation at once
    expect(await completeEvent(db, second, conversation.id, reply)).toBe(true);
    const recorded = await messagesOf(id);
    expect(recorded.map((m) => m.type)).toEqual(["user", "bot"]);
    expect(recorded[1]).toMatchObject({
      text: reply.text,
      meta: reply.meta,
      conversationId: conversation.id,
    });
    expect((await touched()).getTime()).toBeGreaterThan(before.getTime());
    expect(await eventRow(id)).toMatchObject({
      status: "completed",
      lockedUntil: null,
      error: null,
    });
    expect((await eventRow(id)).completedAt).toBeInstanceOf(Date);
    // a repeat changes nothing
    expect(await completeEvent(db, second, conversation.id, reply)).toBe(false);
    expect(await messagesOf(id)).toHaveLength(2);
  });
});

describe("what an ability answers", () => {
  it("an answer holding a NUL is stored readably: the run completes and the model reads what was recorded", async () => {
    // a NUL byte in the body (PostgreSQL stores no NUL in text or jsonb)
    const server = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": "text/plain" });
        res.end("a\u0000b");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const scenario = `nul-${Date.now()}`;
      await script(scenario, [{ tool: "ship", args: { n: 1 } }, { text: "noted" }]);
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const trigger = await triggerWithTool(scenario, url);
      const eventId = await seedEvent(trigger, { payload: { text: "go" } });
      const { event } = await claimEvent(eventId);
      expect(await attemptEvent(event!)).toBe("completed");
      const stored = { status: 200, body: "a\uFFFDb", truncated: false };
      const tool = (await messagesOf(eventId)).find((m) => m.meta.step === "tool:0");
      expect(tool?.meta.output).toEqual(stored);
      const sent = await requestsOf(scenario);
      const toolMessage = sent[1].messages.find((m) => m.role === "tool");
      expect(JSON.parse(String(toolMessage?.content))).toEqual(stored);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe("a batch's run", () => {
  it("leaves out an event cancelled after the claim gathered it: the model never reads it and it stays cancelled", async () => {
    const scenario = `batch-cancel-${Date.now()}`;
    const trigger = await seedTrigger(
      "openai/gpt-4o-mini",
      { batch: { window: 1000, maxWait: 1000, maxEvents: 10, key: null } },
      { backstory: `[scenario:${scenario}]` },
    );
    await script(scenario, [{ text: "handled" }]);
    const ids: string[] = [];
    for (const text of ["first", "second", "third"])
      ids.push(await seedEvent(trigger, { payload: { text }, batchKey: "k" }));
    const { event: lead } = await claimEvent(ids[0]);
    expect(lead?.batchId).toBe(ids[0]);
    expect(await eventRow(ids[1])).toMatchObject({ status: "batched", batchId: ids[0] });
    await cancelEvent({ ownerId: trigger.ownerId, triggerId: trigger.id, eventId: ids[1] });
    expect(await attemptEvent(lead!)).toBe("completed");
    const [sent] = await requestsOf(scenario);
    const prompt = JSON.stringify(sent.messages);
    expect(prompt).toContain("first");
    expect(prompt).toContain("third");
    expect(prompt).not.toContain("second");
    expect(await eventRow(ids[1])).toMatchObject({ status: "cancelled" });
    expect(await eventRow(ids[2])).toMatchObject({ status: "completed" });
  });
});

describe("events joining a run (onBusy merge)", () => {
  it("join nothing once the run's lead was cancelled or taken over: the newer event stays queued", async () => {
    const trigger = await seedTrigger("echo", { onBusy: "merge" });
    const db = await getDb();
    const lead = await seedEvent(trigger, { payload: { text: "first" }, sessionKey: "s" });
    const { event } = await claimEvent(lead);
    const [t] = await db.select().from(triggers).where(eq(triggers.id, trigger.id));
    const conversation = await resolveConversation(db, event!, t, trigger.botId);
    const newer = await seedEvent(trigger, { payload: { text: "second" }, sessionKey: "s" });
    await cancelEvent({ ownerId: trigger.ownerId, triggerId: trigger.id, eventId: lead });
    expect(await joinRun(db, event!, t, conversation.id)).toEqual([]);
    expect(await eventRow(newer)).toMatchObject({ status: "queued", batchId: null });
    // a run that still holds its lead takes it in
    const other = await seedTrigger("echo", { onBusy: "merge" });
    const [o] = await db.select().from(triggers).where(eq(triggers.id, other.id));
    const held = await seedEvent(other, { payload: { text: "a" }, sessionKey: "s" });
    const { event: running } = await claimEvent(held);
    const later = await seedEvent(other, { payload: { text: "b" }, sessionKey: "s" });
    const own = await resolveConversation(db, running!, o, other.botId);
    expect((await joinRun(db, running!, o, own.id)).map((m) => m.id)).toEqual([later]);
    expect(await eventRow(later)).toMatchObject({ status: "batched", batchId: held });
  });
});
