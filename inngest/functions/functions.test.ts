import { InngestTestEngine } from "@inngest/test";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";

// A model provider that refuses connections: a transient failure the engine must retry.
vi.hoisted(() => {
  process.env.OPENAI_BASE_URL = "http://127.0.0.1:9/v1";
});

import { getDb, rowsOf } from "@/db/client";
import { messages, outbox, triggerEvents, triggers } from "@/db/schema";
import { EVENT_RECEIVED, inngest, PROCESS_FUNCTION_ID } from "@/inngest/client";
import { cancelEvent } from "@/lib/events/service";
import { queueEvent } from "@/lib/events/queue";
import { seedTrigger } from "@/test/seed";
import { notify } from "@/lib/outbox/enqueue";
import { createEndpoint } from "@/lib/outbox/endpoints";
import { setEnv } from "@/test/env";
import { startReceiver } from "@/test/http";
import { deliverOutbox } from "./deliver-outbox";
import { eventFailed } from "./event-failed";
import { processEvent } from "./process-event";
import { scheduleTick } from "./schedule-tick";

async function eventRow(id: string) {
  const db = await getDb();
  const [row] = await db.select().from(triggerEvents).where(eq(triggerEvents.id, id));
  return row;
}

/** Queues an event with `text` in the trigger's session `sessionKey`. */
const queueInSession = (
  trigger: { id: string; ownerId: string },
  sessionKey: string,
  text: string,
) => queueEvent({ trigger, kind: "event", payload: { text }, sessionKey });

/** One Inngest run of the processing function for the event. */
const run = (eventId: string) =>
  new InngestTestEngine({
    function: processEvent,
    events: [{ name: EVENT_RECEIVED, data: { eventId } }],
  }).execute();

async function messagesFor(eventId: string) {
  const db = await getDb();
  return db.select().from(messages).where(eq(messages.eventId, eventId)).orderBy(messages.id);
}

describe("process-trigger-event", () => {
  it("processes the event: completed, with the user message and the bot reply", async () => {
    const trigger = await seedTrigger();
    const { id } = await queueEvent({
      trigger,
      kind: "event",
      payload: { text: "hello" },
      contentType: "application/json",
    });
    const t = new InngestTestEngine({
      function: processEvent,
      events: [{ name: EVENT_RECEIVED, data: { eventId: id } }],
    });
    const { result, ctx } = await t.execute();
    expect(result).toEqual({ status: "completed" });
    expect(ctx.step.run).toHaveBeenCalledWith("process", expect.any(Function));
    expect(await eventRow(id)).toMatchObject({ status: "completed", attempts: 1 });
    expect((await messagesFor(id)).map((m) => [m.type, m.text])).toEqual([
      ["user", "hello"],
      ["bot", '[echo: offline model, no LLM] Received event for "t": hello'],
    ]);
    // A second delivery of the same Inngest event records nothing twice.
    const again = await new InngestTestEngine({
      function: processEvent,
      events: [{ name: EVENT_RECEIVED, data: { eventId: id } }],
    }).execute();
    expect(again.result).toEqual({ status: "skipped" });
    expect(await messagesFor(id)).toHaveLength(2);
  });

  it("a transient failure goes back to queued and throws so Inngest retries; the last attempt ends failed", async () => {
    const trigger = await seedTrigger("openai/gpt-4o-mini");
    const { id } = await queueEvent({ trigger, kind: "event", payload: { text: "x" } });
    const run = () =>
      new InngestTestEngine({
        function: processEvent,
        events: [{ name: EVENT_RECEIVED, data: { eventId: id } }],
      }).execute();
    const first = await run();
    expect(first.error).toBeDefined();
    expect(String((first.error as Error).message ?? first.error)).toMatch(
      /Cannot connect|ECONNREFUSED|fetch failed/i,
    );
    expect(await eventRow(id)).toMatchObject({ status: "queued", attempts: 1 });
    await run();
    const last = await run();
    expect(last.result).toEqual({ status: "failed" });
    const row = await eventRow(id);
    expect(row).toMatchObject({ status: "failed", attempts: 3 });
    const msgs = await messagesFor(id);
    expect(msgs.map((m) => m.type)).toEqual(["user", "activity"]);
    expect(msgs[1].text).toContain("Processing failed after 3 attempts");
  });

  it("a permanent failure (model not configured) fails at once", async () => {
    const trigger = await seedTrigger("anthropic/claude-haiku-4-5");
    const { id } = await queueEvent({ trigger, kind: "event", payload: { text: "x" } });
    const { result } = await new InngestTestEngine({
      function: processEvent,
      events: [{ name: EVENT_RECEIVED, data: { eventId: id } }],
    }).execute();
    expect(result).toEqual({ status: "failed" });
    expect((await eventRow(id)).error).toContain("ANTHROPIC_API_KEY");
  });
});

describe("batches in Inngest mode", () => {
  it("an event held for a batch sleeps until the batch is due, then one run takes the whole batch; the others' runs find nothing to do", async () => {
    const policy = { window: 60_000, maxWait: 600_000, maxEvents: 10, key: null };
    const trigger = await seedTrigger("echo", { batch: policy });
    const hold = { key: "s:", policy };
    const ids: string[] = [];
    for (const text of ["one", "two", "three"])
      ids.push((await queueEvent({ trigger, kind: "event", payload: { text }, hold })).id);
    const held = await eventRow(ids[0]);
    expect(held.status).toBe("queued");
    expect(held.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + 50_000);

    const db = await getDb();
    const t = new InngestTestEngine({
      function: processEvent,
      events: [{ name: EVENT_RECEIVED, data: { eventId: ids[0] } }],
      steps: [
        // the sleep is Inngest's; in the test it ends at once
        { id: "hold-0", handler: () => null },
        {
          // ...and by the time it ends the window has passed
          id: "due-1",
          handler: async () => {
            await db
              .update(triggerEvents)
              .set({ lockedUntil: new Date(Date.now() - 1000) })
              .where(eq(triggerEvents.triggerId, trigger.id));
            return null;
          },
        },
      ],
    });
    const { result, ctx } = await t.execute();
    expect(result).toEqual({ status: "completed" });
    expect(ctx.step.run).toHaveBeenCalledWith("due-0", expect.any(Function));
    expect(ctx.step.sleepUntil).toHaveBeenCalledWith("hold-0", expect.any(Date));
    const rows = await Promise.all(ids.map(eventRow));
    expect(rows.map((r) => [r.status, r.batchId])).toEqual([
      ["completed", ids[0]],
      ["completed", ids[0]],
      ["completed", ids[0]],
    ]);
    // one reply for the three events, which all read as one user message to the model
    const reply = (await messagesFor(ids[0])).find((m) => m.type === "bot")!;
    expect(reply.text).toContain("3 events arrived together");
    expect((await messagesFor(ids[1])).map((m) => m.type)).toEqual(["user"]);

    const member = await new InngestTestEngine({
      function: processEvent,
      events: [{ name: EVENT_RECEIVED, data: { eventId: ids[2] } }],
    }).execute();
    expect(member.result).toEqual({ status: "skipped" });
  });
});

describe("claims in Inngest mode", () => {
  it("an event another run holds is a retryable error, not a success", async () => {
    const trigger = await seedTrigger();
    const { id } = await queueEvent({ trigger, kind: "event", payload: { text: "x" } });
    const db = await getDb();
    await db
      .update(triggerEvents)
      .set({ status: "processing", attempts: 1, lockedUntil: new Date(Date.now() + 60_000) })
      .where(eq(triggerEvents.id, id));
    const { error, result } = await new InngestTestEngine({
      function: processEvent,
      events: [{ name: EVENT_RECEIVED, data: { eventId: id } }],
    }).execute();
    expect(result).toBeUndefined();
    expect(String((error as Error)?.message ?? error)).toContain("held by another run");
    expect(await eventRow(id)).toMatchObject({ status: "processing", attempts: 1 });
  });

  it("a later event of a session waits while an earlier one is in its back-off: retried, never run before it", async () => {
    const trigger = await seedTrigger();
    const queue = (text: string) => queueInSession(trigger, "s-1", text);
    const { id: first } = await queue("first");
    const { id: second } = await queue("second");
    const db = await getDb();
    // the first failed once and waits out its back-off (as recordFailure leaves it)
    await db
      .update(triggerEvents)
      .set({ attempts: 1, lockedUntil: new Date(Date.now() + 60_000) })
      .where(eq(triggerEvents.id, first));
    const blocked = await run(second);
    expect(blocked.result).toBeUndefined();
    expect(String((blocked.error as Error)?.message ?? blocked.error)).toContain(
      "an earlier event of its session",
    );
    expect(await eventRow(second)).toMatchObject({ status: "queued", attempts: 0 });
    await db.update(triggerEvents).set({ lockedUntil: null }).where(eq(triggerEvents.id, first));
    expect((await run(first)).result).toEqual({ status: "completed" });
    expect((await run(second)).result).toEqual({ status: "completed" });
  });

  it("an event that ends sends the next event of its session at once, when Inngest may have given up on it", async () => {
    const trigger = await seedTrigger();
    const queue = (text: string) => queueInSession(trigger, "s-2", text);
    const { id: first } = await queue("first");
    const { id: second } = await queue("second");
    const { id: third } = await queue("third");
    const db = await getDb();
    // the second's run was blocked until Inngest gave up on it, ten minutes ago; the third's
    // was sent a moment ago and is still being retried
    await db
      .update(triggerEvents)
      .set({ dispatchedAt: new Date(Date.now() - 10 * 60_000) })
      .where(eq(triggerEvents.id, second));
    await db
      .update(triggerEvents)
      .set({ dispatchedAt: new Date() })
      .where(eq(triggerEvents.id, third));
    setEnv({ INNGEST_DEV: "1" });
    const send = vi.spyOn(inngest, "send").mockResolvedValue({ ids: ["sent"] });
    try {
      expect((await run(first)).result).toEqual({ status: "completed" });
      const sentIds = () =>
        send.mock.calls.map(([e]) =>
          (e as { data: { eventId: string } }[]).map((x) => x.data.eventId),
        );
      expect(sentIds()).toEqual([[second]]);
      expect((await eventRow(second)).dispatchedAt!.getTime()).toBeGreaterThan(Date.now() - 60_000);
      // the second ends: the third was sent lately (its run is still retrying), so it is left be
      expect((await run(second)).result).toEqual({ status: "completed" });
      expect(sentIds()).toEqual([[second]]);
      // cancelling a session's event sends its next one on too
      const { id: fourth } = await queue("fourth");
      const { id: fifth } = await queue("fifth");
      await db.update(triggerEvents).set({ dispatchedAt: null }).where(eq(triggerEvents.id, fifth));
      send.mockClear();
      await cancelEvent({ ownerId: trigger.ownerId, triggerId: trigger.id, eventId: fourth });
      expect(sentIds()).toEqual([]); // the third is still ahead of the fifth, and sent lately
      await db.update(triggerEvents).set({ dispatchedAt: null }).where(eq(triggerEvents.id, third));
      await cancelEvent({ ownerId: trigger.ownerId, triggerId: trigger.id, eventId: fifth });
      expect(sentIds()).toEqual([[third]]);
    } finally {
      send.mockRestore();
      setEnv({ INNGEST_DEV: undefined });
    }
  });

  it("the tick re-queues and re-sends events whose run died with its lease; one out of attempts fails", async () => {
    const trigger = await seedTrigger();
    const db = await getDb();
    const stale = (await queueEvent({ trigger, kind: "event", payload: { text: "a" } })).id;
    const poison = (await queueEvent({ trigger, kind: "event", payload: { text: "b" } })).id;
    await db
      .update(triggerEvents)
      .set({ status: "processing", attempts: 1, lockedUntil: new Date(Date.now() - 1000) })
      .where(eq(triggerEvents.id, stale));
    await db
      .update(triggerEvents)
      .set({ status: "processing", attempts: 3, lockedUntil: new Date(Date.now() - 1000) })
      .where(eq(triggerEvents.id, poison));
    const { result } = await new InngestTestEngine({ function: scheduleTick }).execute();
    expect(result).toMatchObject({ requeued: 1, poisoned: 1 });
    expect((result as { redispatched: number }).redispatched).toBeGreaterThanOrEqual(1);
    expect(await eventRow(stale)).toMatchObject({ status: "queued", lockedUntil: null });
    expect(await eventRow(poison)).toMatchObject({
      status: "failed",
      error: "gave up after 3 attempts: the process running it stopped each time",
    });
    // and a re-sent event runs to completion
    const { result: ran } = await new InngestTestEngine({
      function: processEvent,
      events: [{ name: EVENT_RECEIVED, data: { eventId: stale } }],
    }).execute();
    expect(ran).toEqual({ status: "completed" });
  });
});

describe("schedule-tick", () => {
  it("queues one schedule event per due trigger and advances nextTriggerAt; a second tick queues nothing", async () => {
    const due = new Date(Date.now() - 90_000);
    const trigger = await seedTrigger("echo", { schedule: "15m", nextTriggerAt: due });
    const t = new InngestTestEngine({ function: scheduleTick });
    const { result } = await t.execute();
    expect(result).toMatchObject({ queued: 1 });
    const db = await getDb();
    const events = await db
      .select()
      .from(triggerEvents)
      .where(eq(triggerEvents.triggerId, trigger.id));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: "schedule", scheduledFor: due, sessionKey: "trigger" });
    const [row] = await db.select().from(triggers).where(eq(triggers.id, trigger.id));
    expect(row.nextTriggerAt!.getTime()).toBeGreaterThan(Date.now());
    const second = await new InngestTestEngine({ function: scheduleTick }).execute();
    expect(second.result).toMatchObject({ queued: 0 });
  });
});

describe("schedule-tick's vacuum", () => {
  it("vacuums the tables past autovacuum's thresholds where autovacuum does not run, and leaves them to it where it does", async () => {
    const db = await getDb();
    const trigger = await seedTrigger();
    // dead row versions: 200 events, each updated twice (well past 50 plus a fifth of the table)
    for (let i = 0; i < 200; i++) await queueEvent({ trigger, kind: "event", payload: { i } });
    for (const status of ["processing", "completed"] as const)
      await db.update(triggerEvents).set({ status }).where(eq(triggerEvents.triggerId, trigger.id));
    const [setting] = rowsOf<{ on: boolean }>(
      await db.execute(
        sql`select ${db.$dialect === "postgres"} and current_setting('autovacuum') = 'on'
          and current_setting('track_counts') = 'on' as on`,
      ),
    );
    // the counters of changed rows reach pg_stat_user_tables a second after the change
    await new Promise((r) => setTimeout(r, 1_200));
    await db.execute(sql`select 1`);
    const { result, ctx } = await new InngestTestEngine({ function: scheduleTick }).execute();
    expect(ctx.step.run).toHaveBeenCalledWith("vacuum", expect.any(Function));
    const { vacuumed } = result as { vacuumed: string[] | null };
    if (setting.on) expect(vacuumed).toBeNull();
    else expect(vacuumed).toContain("trigger_events");
  });
});

describe("trigger-event-failed", () => {
  it("marks an event whose run died for good as failed, with the error recorded", async () => {
    const trigger = await seedTrigger();
    const { id } = await queueEvent({ trigger, kind: "event", payload: { text: "stuck" } });
    const db = await getDb();
    await db
      .update(triggerEvents)
      .set({ status: "processing", attempts: 1, lockedUntil: new Date(Date.now() + 60_000) })
      .where(eq(triggerEvents.id, id));
    const { result } = await new InngestTestEngine({
      function: eventFailed,
      events: [
        {
          name: "inngest/function.failed",
          data: {
            function_id: `trigger-dashboard-${PROCESS_FUNCTION_ID}`,
            run_id: "r1",
            error: { message: "Function timed out" },
            event: { name: EVENT_RECEIVED, data: { eventId: id } },
          },
        },
      ],
    }).execute();
    expect(result).toEqual({ status: "failed" });
    expect(await eventRow(id)).toMatchObject({ status: "failed", error: "Function timed out" });
    const msgs = await messagesFor(id);
    expect(msgs.map((m) => m.type)).toEqual(["user", "activity"]);
  });
});

describe("deliver-outbox", () => {
  it("delivers what the outbox holds, signed, and records it delivered", async () => {
    const receiver = await startReceiver();
    setEnv({ ABILITY_HTTP_ALLOW_HOSTS: "127.0.0.1" });
    try {
      const trigger = await seedTrigger();
      const { id: endpointId } = await createEndpoint({
        ownerId: trigger.ownerId,
        input: { url: `${receiver.url}/hook`, events: ["trigger.paused"] },
      });
      const db = await getDb();
      await notify(db, trigger.ownerId, "trigger.paused", `test:${trigger.id}`, {
        triggerId: trigger.id,
      });
      const { result } = await new InngestTestEngine({
        function: deliverOutbox,
        events: [{ name: "outbox/ready", data: {} }],
      }).execute();
      expect(result).toEqual({ delivered: 1 });
      expect(receiver.requests).toHaveLength(1);
      expect(receiver.requests[0].headers["webhook-signature"]).toMatch(/^v1,/);
      const [row] = await db.select().from(outbox).where(eq(outbox.endpointId, endpointId));
      expect(row).toMatchObject({ status: "delivered", attempts: 1, lastStatus: 200 });
    } finally {
      setEnv({ ABILITY_HTTP_ALLOW_HOSTS: undefined });
      await receiver.close();
    }
  });
});
