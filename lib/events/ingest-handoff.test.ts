import type { Socket } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it, vi } from "vitest";

// Inngest mode, its dev server accepting connections and never answering: a send that hangs.
const hanging = await vi.hoisted(async () => {
  const { createServer } = await import("node:net");
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  process.env.INNGEST_DEV = `http://127.0.0.1:${port}`;
  return { server, sockets };
});

import { getDb } from "@/db/client";
import { triggerEvents } from "@/db/schema";
import { usesInngest } from "@/lib/core/env";
import { log } from "@/lib/observability/log";
import { seedTrigger } from "@/test/seed";
import { ingestEvent } from "./ingest";

afterAll(() => {
  for (const socket of hanging.sockets) socket.destroy();
  hanging.server.close();
});

describe("the event endpoint while Inngest is slow to take events", () => {
  it("answers 202 for an event it stored (503 means not stored), and leaves it for the sweep", async () => {
    expect(usesInngest()).toBe(true);
    const trigger = await seedTrigger("echo", { authenticate: false });
    const warn = vi.spyOn(log(), "warn").mockImplementation(() => {});
    const url = new URL(`http://localhost/api/v1/integration/trigger/${trigger.id}/event`);
    const res = await ingestEvent({
      triggerId: trigger.id,
      url,
      req: new Request(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ text: "slow hand-off" }),
      }),
    });
    const body = await res.json();
    expect({ status: res.status, body }).toEqual({
      status: 202,
      body: { id: expect.stringMatching(/^event_/), status: "queued" },
    });
    expect(hanging.sockets.size).toBeGreaterThan(0); // the send did reach the hanging server
    const db = await getDb();
    const [row] = await db.select().from(triggerEvents).where(eq(triggerEvents.id, body.id));
    expect(row).toMatchObject({ status: "queued", dispatchedAt: null });
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ event: body.id }),
      expect.stringContaining("slow to take a stored event"),
    );
    warn.mockRestore();
  });
});
