import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";

// Inngest mode with nothing listening at the configured dev server.
vi.hoisted(() => {
  process.env.INNGEST_DEV = "http://127.0.0.1:9";
});

import { getDb } from "@/db/client";
import { triggerEvents } from "@/db/schema";
import { usesInngest } from "@/lib/core/env";
import { queueEvent } from "@/lib/events/queue";
import { log } from "@/lib/observability/log";
import { seedTrigger } from "@/test/seed";

describe("dispatch to Inngest", () => {
  it("an event whose hand-off fails is still accepted, stays queued and is left for the sweeper", async () => {
    expect(usesInngest()).toBe(true);
    const db = await getDb();
    const trigger = await seedTrigger();
    const warn = vi.spyOn(log(), "warn").mockImplementation(() => {});
    const { id, duplicate } = await queueEvent({
      trigger,
      kind: "event",
      payload: { text: "hi" },
    });
    expect(duplicate).toBe(false);
    const [row] = await db.select().from(triggerEvents).where(eq(triggerEvents.id, id));
    expect(row).toMatchObject({ status: "queued", dispatchedAt: null });
    // the failure is logged (with the count, not the payload) for the operator
    expect(warn.mock.calls[0]).toEqual([
      expect.objectContaining({ events: 1 }),
      expect.stringContaining("could not send"),
    ]);
    warn.mockRestore();
  });
});
