import http from "node:http";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { outbox } from "@/db/schema";
import { setEnv } from "@/test/env";
import { seedTrigger } from "@/test/seed";
import { deliverDue } from "./deliver";
import { createEndpoint } from "./endpoints";
import { notify } from "./enqueue";

// Delivery through the real outbound client to a loopback receiver, on the real database.

let server: http.Server;
let url = "";
beforeAll(async () => {
  setEnv({ ABILITY_HTTP_ALLOW_HOSTS: "127.0.0.1" });
  // answers what a broken receiver might: a 500 whose body holds a NUL and half an emoji
  server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(Buffer.concat([Buffer.from("bad\u0000gateway "), Buffer.from("😀").subarray(0, 2)]));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
});
afterAll(async () => {
  setEnv({ ABILITY_HTTP_ALLOW_HOSTS: undefined });
  await new Promise<void>((r) => server.close(() => r()));
});

describe("outbox delivery", () => {
  it("a receiver's answer that the database cannot store as is is recorded readably, and the row waits for its next attempt", async () => {
    const { ownerId } = await seedTrigger();
    const { id: endpointId } = await createEndpoint({
      ownerId,
      input: { url, events: ["event.failed"] },
    });
    const db = await getDb();
    await notify(db, ownerId, "event.failed", `nul-${Date.now()}`, { eventId: "event_x" });
    const before = Date.now();
    expect(await deliverDue()).toBeGreaterThanOrEqual(1);
    const [row] = await db.select().from(outbox).where(eq(outbox.endpointId, endpointId));
    expect(row).toMatchObject({
      status: "pending",
      attempts: 1,
      lastStatus: 500,
      lockedUntil: null,
    });
    expect(row.lastError).toBe("HTTP 500: bad\uFFFDgateway \uFFFD");
    // retried after its back-off, not again at once (nor never)
    expect(row.nextAttemptAt.getTime()).toBeGreaterThan(before);
    expect(await deliverDue()).toBe(0);
  });
});
