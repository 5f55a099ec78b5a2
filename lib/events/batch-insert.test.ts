import { inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, rowsOf } from "@/db/client";
import { BOUNDED_STATEMENT_MS } from "@/db/connect";
import { triggerEvents } from "@/db/schema";
import { toApiError } from "@/lib/core/errors";
import { newId } from "@/lib/core/ids";
import { seedTrigger } from "@/test/seed";
import { insertEventBatched } from "./batch-insert";
import { plainEventRow, type QueueEventInput } from "./queue";

const rowOf = (trigger: QueueEventInput["trigger"], extra: Partial<QueueEventInput> = {}) =>
  plainEventRow({ trigger, kind: "event", payload: { text: "hi" }, ...extra });

describe("batched event insert", () => {
  it("stores rows that arrive together in one statement, with every value as sent", async () => {
    const db = await getDb();
    const trigger = await seedTrigger();
    const scheduledFor = new Date("2026-11-29T01:02:03.456Z");
    const rows = [
      rowOf(trigger, {
        payload: {
          text: 'quotes " and \\ backslashes',
          emoji: "😀",
          nested: [1, null, { a: true }],
        },
        contentType: "application/json",
        headers: { "user-agent": "GitHub-Hookshot/1", "x-github-event": "push" },
        sessionKey: "session-1",
        contact: { email: "a@example.test", name: "Ann" },
      }),
      rowOf(trigger, { payload: "plain text, not JSON", contentType: "text/plain" }),
      rowOf(trigger, { payload: null }),
      rowOf(trigger, { payload: [1, 2, 3], status: "filtered" }),
      rowOf(trigger, { status: "failed", error: "filter: no such field" }),
      rowOf(trigger, { kind: "schedule", scheduledFor, replayOf: "event_x" }),
      ...Array.from({ length: 300 }, (_, i) => rowOf(trigger, { payload: { i } })),
    ];
    // one tick: all of them share the multi-row insert
    const stored = await Promise.all(rows.map((r) => insertEventBatched(r)));
    expect(stored.map((s) => s!.id)).toEqual(rows.map((r) => r.id));
    expect(stored[3]).toMatchObject({ status: "filtered", triggerId: trigger.id });
    expect(stored[0]).toMatchObject({ ownerId: trigger.ownerId, sessionKey: "session-1" });

    const read = await db
      .select()
      .from(triggerEvents)
      .where(
        inArray(
          triggerEvents.id,
          rows.map((r) => r.id),
        ),
      );
    const byId = new Map(read.map((r) => [r.id, r]));
    expect(byId.size).toBe(rows.length);
    for (const r of rows) {
      expect(byId.get(r.id)).toMatchObject({
        ownerId: r.ownerId,
        triggerId: r.triggerId,
        kind: r.kind,
        status: r.status,
        error: r.error,
        payload: r.payload,
        contentType: r.contentType,
        headers: r.headers,
        sessionKey: r.sessionKey,
        contact: r.contact,
        idempotencyKey: null,
        scheduledFor: r.scheduledFor,
        replayOf: r.replayOf,
        attempts: 0,
      });
      // finished on arrival (filtered, failed) completes at the database's clock; queued does not
      const completedAt = byId.get(r.id)!.completedAt;
      if (r.status === "queued") expect(completedAt).toBeNull();
      else expect(completedAt).toBeInstanceOf(Date);
    }
  });

  it("answers a row whose id is already stored (a retry after a 503) with the stored row", async () => {
    const trigger = await seedTrigger();
    const id = newId("event");
    const first = await insertEventBatched(rowOf(trigger, { id, status: "filtered" }));
    const [again, other] = await Promise.all([
      insertEventBatched(rowOf(trigger, { id })),
      insertEventBatched(rowOf(trigger)),
    ]);
    // the stored row wins: the retry does not turn the filtered event into a queued one
    expect(again).toEqual(first);
    expect(again!.status).toBe("filtered");
    expect(other!.status).toBe("queued");
  });

  it("sends one insert at a time, so a session's rows commit in their ids' order", async () => {
    const db = await getDb();
    const trigger = await seedTrigger();
    const original = db.$boundedQuery;
    let inFlight = 0;
    let most = 0;
    let statements = 0;
    // a slow database: each statement takes 20 ms, while rows keep arriving tick by tick
    db.$boundedQuery = (async (text: string, params: unknown[]) => {
      inFlight++;
      statements++;
      most = Math.max(most, inFlight);
      try {
        await new Promise((r) => setTimeout(r, 20));
        return await original.call(db, text, params);
      } finally {
        inFlight--;
      }
    }) as typeof original;
    const rows = Array.from({ length: 12 }, (_, i) =>
      rowOf(trigger, { sessionKey: "burst", payload: { i } }),
    );
    const stored: Promise<unknown>[] = [];
    try {
      for (const r of rows) {
        stored.push(insertEventBatched(r));
        await new Promise((resolve) => setImmediate(resolve));
      }
      await Promise.all(stored);
    } finally {
      db.$boundedQuery = original;
    }
    expect(most).toBe(1);
    // the rows that arrived during an insert went together in the next one
    expect(statements).toBeLessThan(rows.length);
    // commit order (the transaction id that wrote each row) follows the ids' order
    const written = rowsOf<{ id: string; tx: string }>(
      await db.execute(
        sql`select id, xmin::text as tx from trigger_events where trigger_id = ${trigger.id}`,
      ),
    );
    const byId = [...written].sort((a, b) => a.id.localeCompare(b.id)).map((r) => Number(r.tx));
    expect(byId).toEqual([...byId].sort((a, b) => a - b));
    expect(new Set(byId).size).toBeGreaterThan(1);
  });

  it("takes keyed rows too: in the same order, a repeated key stored once and answered null", async () => {
    const db = await getDb();
    const trigger = await seedTrigger();
    const original = db.$boundedQuery;
    let statements = 0;
    db.$boundedQuery = (async (text: string, params: unknown[]) => {
      statements++;
      await new Promise((r) => setTimeout(r, 20));
      return original.call(db, text, params);
    }) as typeof original;
    const rows = Array.from({ length: 12 }, (_, i) =>
      rowOf(trigger, { sessionKey: "keyed", idempotencyKey: `delivery-${i}`, payload: { i } }),
    );
    // the same delivery again: in the same statement as the first, and in a later one
    const sameBatch = rowOf(trigger, { sessionKey: "keyed", idempotencyKey: "delivery-0" });
    const later = rowOf(trigger, { sessionKey: "keyed", idempotencyKey: "delivery-5" });
    const stored: Promise<unknown>[] = [];
    try {
      stored.push(insertEventBatched(rows[0]), insertEventBatched(sameBatch));
      for (const r of rows.slice(1)) {
        stored.push(insertEventBatched(r));
        await new Promise((resolve) => setImmediate(resolve));
      }
      stored.push(insertEventBatched(later));
      const answers = await Promise.all(stored);
      expect(answers[1]).toBeNull();
      expect(answers.at(-1)).toBeNull();
      expect(answers.filter(Boolean)).toHaveLength(12);
    } finally {
      db.$boundedQuery = original;
    }
    expect(statements).toBeLessThan(rows.length);
    const written = rowsOf<{ id: string; tx: string; key: string }>(
      await db.execute(
        sql`select id, xmin::text as tx, idempotency_key as key from trigger_events where trigger_id = ${trigger.id}`,
      ),
    );
    expect(written.map((r) => r.id).sort()).toEqual(rows.map((r) => r.id).sort());
    const byId = [...written].sort((a, b) => a.id.localeCompare(b.id)).map((r) => Number(r.tx));
    expect(byId).toEqual([...byId].sort((a, b) => a - b));
    expect(new Set(byId).size).toBeGreaterThan(1);
  });

  it("fails only the bad row of a batch", async () => {
    const trigger = await seedTrigger();
    const good = rowOf(trigger);
    const bad = rowOf({ id: "trigger_does_not_exist", ownerId: trigger.ownerId });
    const [ok, failed] = await Promise.allSettled([
      insertEventBatched(good),
      insertEventBatched(bad),
    ]);
    expect(ok).toMatchObject({ status: "fulfilled", value: { id: good.id, status: "queued" } });
    expect(failed.status).toBe("rejected");
    // the foreign key said no (the ingest answers 404 for a trigger deleted meanwhile)
    const reason = (failed as PromiseRejectedResult).reason;
    expect(JSON.stringify({ code: reason.code, cause: reason.cause?.code })).toContain("23503");
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)("bounded statements on PostgreSQL", () => {
  it("are cancelled by the server after BOUNDED_STATEMENT_MS, and that answers 503", async () => {
    const db = await getDb();
    const [{ statement_timeout }] = await db.$boundedQuery<{ statement_timeout: string }>(
      "show statement_timeout",
      [],
    );
    expect(statement_timeout).toBe(`${BOUNDED_STATEMENT_MS / 1000}s`);
    const error = await db
      .$boundedQuery("select pg_sleep($1)", [BOUNDED_STATEMENT_MS / 1000 + 1])
      .catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe("57014");
    expect(toApiError(error)).toMatchObject({ status: 503, code: "UNAVAILABLE" });
    // the main pool is not bounded: migrations and rollups may take longer
    const [{ statement_timeout: unbounded }] = (await db.execute(
      sql`show statement_timeout`,
    )) as unknown as { statement_timeout: string }[];
    expect(unbounded).toBe("0");
  });
});
