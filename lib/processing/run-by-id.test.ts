import { eq } from "drizzle-orm";
import { expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { triggerEvents } from "@/db/schema";
import { seedEvent, seedTrigger } from "@/test/seed";
import { RunStopped, type RunControl } from "./run-control";

// The run itself is replaced by one the database stops answering: its renewal fails, so its
// control stops it as "unreachable" (lib/processing/run-control.ts). Claims and hand-backs are real.
// It either throws (stopped at a step) or returns (stopped between steps).
const mode = vi.hoisted(() => ({ throws: true }));
vi.mock("./process", async (original) => ({
  ...(await original<typeof import("./process")>()),
  processClaimedEvent: vi.fn(async (_event: unknown, control: RunControl) => {
    control.stop("unreachable");
    if (mode.throws) throw new RunStopped("unreachable");
    return "gone";
  }),
}));
const { markEventFailed, RetryableEventError, runEventById } = await import("./run-by-id");

it.each([true, false])(
  "Inngest path (the run throws: %s): a run the database stopped answering hands its event back uncharged and asks Inngest to try again; running out of tries does not fail it",
  async (throws) => {
    mode.throws = throws;
    const trigger = await seedTrigger();
    const id = await seedEvent(trigger, { payload: { text: "hi" } });
    const error = await runEventById(id).then(
      () => null,
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(RetryableEventError);
    expect(error?.message).toContain("handed back uncharged");
    const db = await getDb();
    const [row] = await db.select().from(triggerEvents).where(eq(triggerEvents.id, id));
    expect(row).toMatchObject({ status: "queued", attempts: 0 });
    // Inngest gave up retrying while the database was away: the event is not failed for it
    expect(await markEventFailed(id, error!.message)).toEqual({ status: "held" });
    const [after] = await db.select().from(triggerEvents).where(eq(triggerEvents.id, id));
    expect(after.status).toBe("queued");
  },
);
