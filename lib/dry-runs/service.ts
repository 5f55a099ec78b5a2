import "server-only";
import { and, count, eq, inArray, sql } from "drizzle-orm";
import type { z } from "zod";
import { getDb } from "@/db/client";
import { getOwnedOrThrow, getTriggerOrThrow } from "@/db/owned";
import { cursorClauses, toPage } from "@/db/pages";
import {
  dryRuns,
  testCases,
  testRuns,
  type DryRunOverrides,
  type TestCase,
  type TestCaseResult,
  type TestRun,
} from "@/db/schema";
import { ApiError, notFound } from "@/lib/core/errors";
import { hasChanges, iso } from "@/lib/core/fields";
import { newId } from "@/lib/core/ids";
import type { ListQuery } from "@/lib/core/list-query";
import { ownedEvent } from "@/lib/events/service";
import { checkedBot, dryRun, serializeDryRun, subjectOf } from "./dry-run";
import { checkExpectations } from "./expectations";
import {
  MAX_TEST_CASES,
  type createTestCaseSchema,
  type runTestsSchema,
  type updateTestCaseSchema,
} from "./schema";

// Dry runs of stored events and a trigger's test cases: what the routes call.

type Owner = { ownerId: string };
type OnTrigger = Owner & { triggerId: string };

/** Test runs kept per trigger (the oldest go as new ones start). */
const KEEP_TEST_RUNS = 20;
/** A test run still "running" this long after it started was cut short (its server stopped). */
const STALE_TEST_RUN_MS = 2 * 3_600_000;

export async function dryRunEvent({
  ownerId,
  triggerId,
  eventId,
  overrides,
  signal,
}: OnTrigger & { eventId: string; overrides: DryRunOverrides; signal?: AbortSignal }) {
  const trigger = await getTriggerOrThrow({ ownerId, id: triggerId });
  const event = await ownedEvent({ ownerId, triggerId, eventId });
  const subject = await subjectOf(await getDb(), event);
  return dryRun({ trigger, subject, overrides, signal });
}

/** The event's dry runs of the last 7 days, newest first. */
export async function listDryRuns({
  ownerId,
  triggerId,
  eventId,
  query,
}: OnTrigger & { eventId: string; query: ListQuery }) {
  await getTriggerOrThrow({ ownerId, id: triggerId });
  const db = await getDb();
  const c = cursorClauses(dryRuns.id, query);
  const rows = await db
    .select()
    .from(dryRuns)
    .where(
      and(
        eq(dryRuns.triggerId, triggerId),
        eq(dryRuns.eventId, eventId),
        eq(dryRuns.ownerId, ownerId),
        c.where,
      ),
    )
    .orderBy(c.orderBy)
    .limit(c.limit);
  return toPage(
    rows.map((r) => serializeDryRun(r)),
    query.take,
  );
}

export const serializeTestCase = (t: TestCase) => ({
  id: t.id,
  triggerId: t.triggerId,
  eventId: t.eventId,
  name: t.name,
  expectations: t.expectations,
  /** The event as it was saved (it outlives the event's own retention). */
  event: t.event,
  originalReply: t.originalReply,
  recordedCalls: t.recordings.length,
  createdAt: iso(t.createdAt),
  updatedAt: iso(t.updatedAt),
});

export async function createTestCase({
  ownerId,
  triggerId,
  input,
}: OnTrigger & { input: z.infer<typeof createTestCaseSchema> }) {
  await getTriggerOrThrow({ ownerId, id: triggerId });
  const event = await ownedEvent({ ownerId, triggerId, eventId: input.eventId });
  const db = await getDb();
  const [{ n }] = await db
    .select({ n: count() })
    .from(testCases)
    .where(eq(testCases.triggerId, triggerId));
  if (n >= MAX_TEST_CASES)
    throw new ApiError(
      "CONFLICT",
      `A trigger has at most ${MAX_TEST_CASES} test cases; delete one to save another`,
    );
  const subject = await subjectOf(db, event);
  const id = newId("testcase");
  const [row] = await db
    .insert(testCases)
    .values({
      id,
      ownerId,
      triggerId,
      eventId: event.id,
      name: input.name ?? `Event ${event.id}`,
      event: subject.events[0],
      history: subject.history,
      recordings: subject.recordings,
      originalReply: subject.originalReply,
      expectations: input.expectations,
    })
    .returning();
  return serializeTestCase(row);
}

export async function listTestCases({
  ownerId,
  triggerId,
  query,
}: OnTrigger & { query: ListQuery }) {
  await getTriggerOrThrow({ ownerId, id: triggerId });
  const db = await getDb();
  const c = cursorClauses(testCases.id, query);
  const rows = await db
    .select()
    .from(testCases)
    .where(and(eq(testCases.triggerId, triggerId), eq(testCases.ownerId, ownerId), c.where))
    .orderBy(c.orderBy)
    .limit(c.limit);
  return toPage(rows.map(serializeTestCase), query.take);
}

async function ownedCase({ ownerId, triggerId, caseId }: OnTrigger & { caseId: string }) {
  const row = await getOwnedOrThrow(await getDb(), testCases, caseId, ownerId, "Test case");
  if (row.triggerId !== triggerId) throw notFound("Test case");
  return row;
}

export async function fetchTestCase(args: OnTrigger & { caseId: string }) {
  return serializeTestCase(await ownedCase(args));
}

export async function updateTestCase({
  input,
  ...args
}: OnTrigger & { caseId: string; input: z.infer<typeof updateTestCaseSchema> }) {
  const current = await ownedCase(args);
  if (!hasChanges(input)) return serializeTestCase(current);
  const db = await getDb();
  const [row] = await db
    .update(testCases)
    .set({
      ...(input.name !== undefined && { name: input.name }),
      ...(input.expectations !== undefined && { expectations: input.expectations }),
    })
    .where(eq(testCases.id, args.caseId))
    .returning();
  return serializeTestCase(row);
}

export async function deleteTestCase(args: OnTrigger & { caseId: string }) {
  await ownedCase(args);
  const db = await getDb();
  await db.delete(testCases).where(eq(testCases.id, args.caseId));
  return { id: args.caseId };
}

export const serializeTestRun = (r: TestRun) => ({
  id: r.id,
  triggerId: r.triggerId,
  /** running, passed (every expectation of every case held), failed, or interrupted (its server stopped). */
  status:
    r.status === "running" && Date.now() - r.createdAt.getTime() > STALE_TEST_RUN_MS
      ? "interrupted"
      : r.status,
  overrides: r.overrides,
  cases: r.results.length,
  passed: r.passed,
  failed: r.failed,
  results: r.results,
  createdAt: iso(r.createdAt),
  finishedAt: iso(r.finishedAt),
});

/**
 * Every case of the trigger (or those named) as a dry run against the current configuration
 * with the overrides, a few at a time in the owner's share; each expectation checked.
 */
export async function runTests({
  ownerId,
  triggerId,
  input,
  signal,
}: OnTrigger & { input: z.infer<typeof runTestsSchema>; signal?: AbortSignal }) {
  const trigger = await getTriggerOrThrow({ ownerId, id: triggerId });
  const db = await getDb();
  const cases = await db
    .select()
    .from(testCases)
    .where(
      and(
        eq(testCases.triggerId, triggerId),
        eq(testCases.ownerId, ownerId),
        input.caseIds ? inArray(testCases.id, input.caseIds) : undefined,
      ),
    )
    .orderBy(testCases.id);
  if (!cases.length)
    throw new ApiError(
      "CONFLICT",
      input.caseIds
        ? "None of those test cases belongs to this trigger"
        : "This trigger has no test cases yet: save an event as a test case first",
    );
  const overrides = input.overrides ?? {};
  // a bad override or a missing bot is the request's error, not fifty failed cases
  await checkedBot(db, trigger, overrides);
  const id = newId("testrun");
  await db.insert(testRuns).values({
    id,
    ownerId,
    triggerId,
    overrides,
    status: "running",
    results: [],
  });
  // the oldest runs beyond what is kept go as this one starts
  await db.execute(sql`
    delete from ${testRuns} where ${testRuns.triggerId} = ${triggerId} and ${testRuns.id} not in (
      select ${testRuns.id} from ${testRuns} where ${testRuns.triggerId} = ${triggerId}
      order by ${testRuns.id} desc limit ${KEEP_TEST_RUNS}) and ${testRuns.status} <> 'running'`);
  const results = await Promise.all(
    cases.map(async (c): Promise<TestCaseResult> => {
      const subject = {
        events: [c.event],
        history: c.history,
        recordings: c.recordings,
        originalReply: c.originalReply,
      };
      try {
        const run = await dryRun({
          trigger,
          subject,
          overrides,
          testCaseId: c.id,
          testRunId: id,
          signal,
        });
        const expectations = checkExpectations(c.expectations, run);
        return {
          caseId: c.id,
          name: c.name,
          dryRunId: run.id,
          passed: expectations.every((e) => e.passed),
          error: run.error,
          reply: run.reply,
          expectations,
        };
      } catch (error) {
        if (signal?.aborted) throw error;
        const message = error instanceof Error ? error.message : String(error);
        return {
          caseId: c.id,
          name: c.name,
          dryRunId: null,
          passed: false,
          error: message,
          reply: null,
          expectations: c.expectations.map((e) => ({ ...e, passed: false, detail: message })),
        };
      }
    }),
  ).catch(async (error) => {
    // the caller went away: the run says so at once instead of reading "running" for hours
    await db
      .update(testRuns)
      .set({ status: "interrupted", finishedAt: sql`now()` })
      .where(eq(testRuns.id, id));
    throw error;
  });
  const passed = results.filter((r) => r.passed).length;
  const [row] = await db
    .update(testRuns)
    .set({
      status: passed === results.length ? "passed" : "failed",
      passed,
      failed: results.length - passed,
      results,
      finishedAt: sql`now()`,
    })
    .where(eq(testRuns.id, id))
    .returning();
  // deleted meanwhile with its trigger
  if (!row) throw notFound("Trigger");
  return serializeTestRun(row);
}

export async function listTestRuns({
  ownerId,
  triggerId,
  query,
}: OnTrigger & { query: ListQuery }) {
  await getTriggerOrThrow({ ownerId, id: triggerId });
  const db = await getDb();
  const c = cursorClauses(testRuns.id, query);
  const rows = await db
    .select()
    .from(testRuns)
    .where(and(eq(testRuns.triggerId, triggerId), eq(testRuns.ownerId, ownerId), c.where))
    .orderBy(c.orderBy)
    .limit(c.limit);
  return toPage(rows.map(serializeTestRun), query.take);
}
