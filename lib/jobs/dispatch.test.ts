import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";

// Inngest mode with nothing listening at the configured dev server.
vi.hoisted(() => {
  process.env.INNGEST_DEV = "http://127.0.0.1:9";
});

import { getDb } from "@/db/client";
import { bots, triggerEvents, triggers } from "@/db/schema";
import { createUser } from "@/lib/auth/users";
import { usesInngest } from "@/lib/env";
import { queueEvent } from "@/lib/events/queue";
import { newId } from "@/lib/ids";

describe("dispatch to Inngest", () => {
  it("an event whose hand-off fails is still accepted, stays queued and is left for the sweeper", async () => {
    expect(usesInngest()).toBe(true);
    const db = await getDb();
    const ownerId = (
      await createUser({
        email: `dispatch-${Date.now()}@example.test`,
        password: "a-good-passphrase",
      })
    ).id;
    const botId = newId("bot");
    await db.insert(bots).values({ id: botId, ownerId, name: "b" });
    const triggerId = newId("trigger");
    await db.insert(triggers).values({ id: triggerId, ownerId, botId, secretEnc: "unused" });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { id, duplicate } = await queueEvent({
      trigger: { id: triggerId, ownerId },
      kind: "event",
      payload: { text: "hi" },
    });
    expect(duplicate).toBe(false);
    const [row] = await db.select().from(triggerEvents).where(eq(triggerEvents.id, id));
    expect(row).toMatchObject({ status: "queued", dispatchedAt: null });
    expect(String(warn.mock.calls[0]?.[0])).toContain("could not send");
    warn.mockRestore();
  });
});
