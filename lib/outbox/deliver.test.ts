import http from "node:http";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { notificationEndpoints, outbox, triggers } from "@/db/schema";
import { setEnv } from "@/test/env";
import { seedEvent, seedTrigger } from "@/test/seed";
import { DISABLE_AFTER_MS, deliverDue } from "./deliver";
import { createEndpoint, MAX_PENDING_PER_ENDPOINT, resendDelivery } from "./endpoints";
import { notify, replyRow } from "./enqueue";
import { replyColumns } from "./reply";

// Delivery through the real outbound client to a loopback receiver, on the real database.

let server: http.Server;
let url = "";
let slowArrived = 0;
let slowReleased = false;
let mostHeld = 0;
/** Every path the receiver was asked for. */
const seen: string[] = [];
const held: (() => void)[] = [];
/** For each request to /fast, how many /slow requests had arrived (and hung) by then. */
const fastArrived: number[] = [];
beforeAll(async () => {
  setEnv({ ABILITY_HTTP_ALLOW_HOSTS: "127.0.0.1" });
  server = http.createServer((req, res) => {
    seen.push(req.url ?? "");
    req.resume();
    req.on("end", () => {
      if (req.url === "/configured" || req.url === "/stranger") return res.end("ok");
      if (req.url === "/slow") {
        // a receiver that answers only when the test lets it
        slowArrived++;
        if (slowReleased) res.end("ok");
        else {
          held.push(() => res.end("ok"));
          mostHeld = Math.max(mostHeld, held.length);
        }
        return;
      }
      if (req.url === "/fast") {
        fastArrived.push(slowArrived);
        return res.end("ok");
      }
      // answers what a broken receiver might: a 500 whose body holds a NUL and half an emoji
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

/** A new owner with an endpoint at `path` of the test receiver, for `event.failed`. */
async function ownerWithEndpoint(path = "/hook") {
  const { ownerId } = await seedTrigger();
  const { id: endpointId } = await createEndpoint({
    ownerId,
    input: { url: url.replace(/\/hook$/, path), events: ["event.failed"] },
  });
  return { ownerId, endpointId };
}

describe("outbox delivery", () => {
  it("a receiver's answer that the database cannot store as is is recorded readably, and the row waits for its next attempt", async () => {
    const { ownerId, endpointId } = await ownerWithEndpoint();
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
    // the endpoint counts as failing from this first failed attempt, not from a final one
    const endpoint = async () =>
      (
        await db
          .select()
          .from(notificationEndpoints)
          .where(eq(notificationEndpoints.id, endpointId))
      )[0];
    expect((await endpoint()).failingSince).not.toBeNull();
    expect((await endpoint()).enabled).toBe(true);
    // failing for over 24 hours: the next failed attempt turns it off, saying why
    await db
      .update(notificationEndpoints)
      .set({ failingSince: new Date(Date.now() - DISABLE_AFTER_MS - 60_000) })
      .where(eq(notificationEndpoints.id, endpointId));
    await db.update(outbox).set({ nextAttemptAt: new Date() }).where(eq(outbox.id, row.id));
    expect(await deliverDue()).toBe(1);
    expect(await endpoint()).toMatchObject({
      enabled: false,
      disabledReason: expect.stringContaining("Every delivery failed for 24 hours"),
    });
    // nothing of this test comes due during the next ones
    await db.delete(outbox).where(eq(outbox.id, row.id));
  });

  it("one owner's slow receiver holds a few delivery slots (in this process, whatever passes run), never another owner's deliveries", async () => {
    const db = await getDb();
    const slow = await ownerWithEndpoint("/slow");
    const fast = await ownerWithEndpoint("/fast");
    for (let i = 0; i < 30; i++)
      await notify(db, slow.ownerId, "event.failed", `slow-${Date.now()}-${i}`, { i });
    // the slow owner's rows came due a minute earlier: oldest first alone would take them all
    await db
      .update(outbox)
      .set({ nextAttemptAt: new Date(Date.now() - 60_000) })
      .where(eq(outbox.ownerId, slow.ownerId));
    await notify(db, fast.ownerId, "event.failed", `fast-${Date.now()}`, { i: 0 });
    // two passes at once (on Inngest the deliver-outbox function and the minute tick can both
    // run in one process): the owner's five are counted across them
    const passes = [deliverDue(20), deliverDue(20)];
    for (let waited = 0; !fastArrived.length && waited < 8000; waited += 50)
      await new Promise((r) => setTimeout(r, 50));
    // delivered while the slow owner's first requests still hang, and those were at most five
    expect(fastArrived).toHaveLength(1);
    expect(fastArrived[0]).toBeLessThanOrEqual(5);
    expect(slowArrived).toBeLessThanOrEqual(5);
    // the five reach the receiver, and no more come
    for (let waited = 0; slowArrived < 5 && waited < 8000; waited += 50)
      await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    expect(slowArrived).toBe(5);
    // one of them answers: its slot is filled with the owner's next row, never with five more
    held.shift()!();
    for (let waited = 0; slowArrived === 5 && waited < 8000; waited += 50)
      await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    expect(slowArrived).toBe(6);
    expect(mostHeld).toBeLessThanOrEqual(5);
    slowReleased = true;
    for (const answer of held.splice(0)) answer();
    expect((await Promise.all(passes)).reduce((a, b) => a + b)).toBe(31);
    const rows = await db.select().from(outbox).where(eq(outbox.ownerId, slow.ownerId));
    expect(rows.filter((r) => r.status === "delivered")).toHaveLength(30);
    expect(slowArrived).toBe(30);
  });

  it("a resend is a new delivery of the same body; an endpoint with 100 waiting refuses more (429), resends at the same moment included", async () => {
    const { ownerId, endpointId } = await ownerWithEndpoint();
    const db = await getDb();
    await notify(db, ownerId, "event.failed", `resend-${Date.now()}`, { eventId: "event_r" });
    const [first] = await db.select().from(outbox).where(eq(outbox.endpointId, endpointId));
    const again = await resendDelivery({ ownerId, id: endpointId, deliveryId: first.id });
    const [copy] = await db.select().from(outbox).where(eq(outbox.id, again.deliveryId));
    expect(copy).toMatchObject({ status: "pending", attempts: 0, body: first.body });
    expect(copy.id).not.toBe(first.id);
    for (let i = 2; i < MAX_PENDING_PER_ENDPOINT - 1; i++)
      await resendDelivery({ ownerId, id: endpointId, deliveryId: first.id });
    // three at once with 99 waiting: one goes in
    const racing = await Promise.allSettled(
      [1, 2, 3].map(() => resendDelivery({ ownerId, id: endpointId, deliveryId: first.id })),
    );
    expect(racing.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of racing.filter((r) => r.status === "rejected"))
      expect(r.reason).toMatchObject({ code: "RATE_LIMITED", status: 429 });
    const waiting = await db
      .select()
      .from(outbox)
      .where(and(eq(outbox.endpointId, endpointId), eq(outbox.status, "pending")));
    expect(waiting).toHaveLength(MAX_PENDING_PER_ENDPOINT);
    // nothing of this test comes due during the next ones
    await db.delete(outbox).where(eq(outbox.endpointId, endpointId));
  });

  it("a callback reply goes to the event's response_url only if its sender was authenticated when it arrived", async () => {
    const db = await getDb();
    const base = url.replace(/\/hook$/, "");
    const reply = replyColumns({ type: "callback", url: `${base}/configured` })!.columns;
    const trigger = await seedTrigger("echo", { authenticate: false, ...reply });
    const payload = { text: "refund", response_url: `${base}/stranger` };
    const stranger = await seedEvent(trigger, { payload, senderVerified: false });
    const partner = await seedEvent(trigger, { payload, senderVerified: true });
    // the owner turns authentication on before the replies go out
    await db.update(triggers).set({ authenticate: true }).where(eq(triggers.id, trigger.id));
    for (const id of [stranger, partner])
      await db.execute(
        replyRow(
          { id, ownerId: trigger.ownerId, triggerId: trigger.id },
          "c_x",
          "Done.",
          sql`true`,
        ),
      );
    seen.length = 0;
    expect(await deliverDue()).toBe(2);
    expect(seen.sort()).toEqual(["/configured", "/stranger"]);
    const rows = await db.select().from(outbox).where(eq(outbox.triggerId, trigger.id));
    expect(rows.map((r) => r.status)).toEqual(["delivered", "delivered"]);
  });
});
