import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { conversations, messages, triggerEvents } from "@/db/schema";
import { listMessages } from "@/lib/conversations/service";
import { claimBatch } from "@/lib/processing/claim";
import { attemptEvent } from "@/lib/processing/process";
import { setEnv } from "@/test/env";
import { seedEvent, seedTrigger } from "@/test/seed";
import { deleteExpired } from "./maintenance";

const DAY = 24 * 60 * 60 * 1000;
afterAll(() => setEnv({ EVENT_RETENTION_DAYS: undefined, CONVERSATION_RETENTION_DAYS: undefined }));

describe("retention", () => {
  it("finished events go after EVENT_RETENTION_DAYS, pending ones and conversations stay; the payload is stored once", async () => {
    setEnv({ EVENT_RETENTION_DAYS: "30", CONVERSATION_RETENTION_DAYS: undefined });
    const db = await getDb();
    const trigger = await seedTrigger();
    const done = await seedEvent(trigger, { payload: { text: "hello", order: 42 } });
    const event = (await claimBatch(10)).claimed.find((e) => e.id === done)!;
    expect(await attemptEvent(event)).toBe("completed");
    const pending = await seedEvent(trigger, { lockedUntil: new Date(Date.now() + 3_600_000) });
    const [{ conversationId }] = await db
      .select({ conversationId: triggerEvents.conversationId })
      .from(triggerEvents)
      .where(eq(triggerEvents.id, done));
    // the user message holds no copy of the payload; the message list joins it from the event
    const [user] = await db.select().from(messages).where(eq(messages.eventId, done));
    expect(user.meta.payload).toBeUndefined();
    const before = await listMessages({
      ownerId: trigger.ownerId,
      conversationId: conversationId!,
      query: { take: 10, order: "asc" },
    });
    expect(before.items[0].meta).toMatchObject({ payload: { text: "hello", order: 42 } });

    expect(await deleteExpired(new Date(Date.now() + 29 * DAY))).toMatchObject({ events: 0 });
    expect(await deleteExpired(new Date(Date.now() + 31 * DAY))).toMatchObject({ events: 1 });
    const left = await db
      .select({ id: triggerEvents.id })
      .from(triggerEvents)
      .where(eq(triggerEvents.triggerId, trigger.id));
    expect(left.map((r) => r.id)).toEqual([pending]);
    const after = await listMessages({
      ownerId: trigger.ownerId,
      conversationId: conversationId!,
      query: { take: 10, order: "asc" },
    });
    expect(after.items.map((m) => m.type)).toEqual(["user", "bot"]);
    expect(after.items[0].meta).toMatchObject({ payload: null, payloadDeleted: true });

    // conversations have their own retention, off unless set
    expect(await deleteExpired(new Date(Date.now() + 400 * DAY))).toMatchObject({
      conversations: 0,
    });
    setEnv({ CONVERSATION_RETENTION_DAYS: "90" });
    expect(await deleteExpired(new Date(Date.now() + 89 * DAY))).toMatchObject({
      conversations: 0,
    });
    expect(
      (await deleteExpired(new Date(Date.now() + 91 * DAY))).conversations,
    ).toBeGreaterThanOrEqual(1);
    expect(
      await db.select().from(conversations).where(eq(conversations.id, conversationId!)),
    ).toEqual([]);
    expect(
      await db.select().from(messages).where(eq(messages.conversationId, conversationId!)),
    ).toEqual([]);
  });
});
