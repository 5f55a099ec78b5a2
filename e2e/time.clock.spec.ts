import { expect, test } from "@playwright/test";
import { userWithToken } from "./fixtures/accounts";
import {
  listEvents,
  messagesOf,
  modelRequests,
  scriptedBot,
  sendEvent,
  setClock,
  startReceiver,
  waitForEvents,
} from "./fixtures/pipeline";
import { createTrigger, expectError, json } from "./fixtures/resources";

// The server's clock only moves forward here; each test starts from the offset the last one left.
test.describe.configure({ mode: "serial" });

let offset = 0;
async function advance(request: Parameters<typeof setClock>[0], ms: number) {
  offset += ms;
  await setClock(request, offset);
}
const serverNow = () => new Date(Date.now() + offset);

test("a session continues inside sessionDuration and starts a new conversation after it", async ({
  request,
}) => {
  const { api } = await userWithToken();
  const trigger = await createTrigger(api, { authenticate: false, sessionDuration: 60_000 });
  await sendEvent(request, trigger.id, { query: "session=s", data: { text: "one" } });
  await waitForEvents(api, trigger.id, 1);
  await advance(request, 30_000);
  await sendEvent(request, trigger.id, { query: "session=s", data: { text: "two" } });
  await waitForEvents(api, trigger.id, 2);
  await advance(request, 61_000);
  await sendEvent(request, trigger.id, { query: "session=s", data: { text: "three" } });
  const rows = await waitForEvents(api, trigger.id, 3);
  const [three, two, one] = rows; // newest first
  expect(one.conversationId).toBe(two.conversationId);
  expect(three.conversationId).not.toBe(two.conversationId);
  const first = await messagesOf(api, one.conversationId!);
  expect(first.filter((m) => m.type === "user").map((m) => m.text)).toEqual(["one", "two"]);
});

test("a rotated secret works during the grace period and not after it", async ({ request }) => {
  const { api } = await userWithToken();
  const trigger = await createTrigger(api);
  const { secret: fresh } = await json(
    await api.post(`/api/v1/integration/trigger/${trigger.id}/secret/rotate`),
  );
  expect(
    (await sendEvent(request, trigger.id, { secret: trigger.secret, data: { n: 1 } })).status(),
  ).toBe(202);
  expect((await sendEvent(request, trigger.id, { secret: fresh, data: { n: 2 } })).status()).toBe(
    202,
  );
  await advance(request, 24 * 3600_000 + 60_000);
  await expectError(
    await sendEvent(request, trigger.id, { secret: trigger.secret, data: { n: 3 } }),
    401,
    "UNAUTHORIZED",
  );
  expect((await sendEvent(request, trigger.id, { secret: fresh, data: { n: 4 } })).status()).toBe(
    202,
  );
});

test("schedules: cron in a timezone, interval, one-shot; racing ticks never double-run; one catch-up after downtime", async ({
  request,
}) => {
  const { api } = await userWithToken();
  // Align to the next whole hour of server time so cron slots are predictable.
  const start = serverNow();
  const cron = await createTrigger(api, { schedule: "0 * * * *", timezone: "Asia/Kolkata" }); // every hour at :00 IST = :30 UTC
  const interval = await createTrigger(api, {
    schedule: "15m",
    sessionDuration: 7 * 24 * 3600_000,
  });
  const at = new Date(Math.floor((start.getTime() + 20 * 60_000) / 1000) * 1000); // one-shots have second resolution
  const once = await createTrigger(api, { schedule: at.toISOString() });
  const fetchT = async (id: string) =>
    json(await api.get(`/api/v1/integration/trigger/${id}/fetch`));

  const cronNext = new Date((await fetchT(cron.id)).nextTriggerAt);
  expect(cronNext.getUTCMinutes()).toBe(30);
  expect((await fetchT(once.id)).nextTriggerAt).toBe(at.toISOString());

  // Nothing of these is due yet (the tick is global: other tests' triggers may run, so count per trigger)
  await json(await request.post("/api/test/tick"));
  for (const t of [cron, interval, once]) expect(await listEvents(api, t.id)).toEqual([]);

  // 21 minutes on: the interval and the one-shot are due; two racing ticks queue each slot once
  await advance(request, 21 * 60_000);
  await Promise.all([request.post("/api/test/tick"), request.post("/api/test/tick")]).then(
    (ticks) => Promise.all(ticks.map((t) => json(t))),
  );
  await waitForEvents(api, interval.id, 1);
  const [onceRun] = await waitForEvents(api, once.id, 1);
  expect(onceRun.kind).toBe("schedule");
  expect((await fetchT(once.id)).nextTriggerAt).toBeNull();
  const intervalNext = new Date((await fetchT(interval.id)).nextTriggerAt).getTime();
  expect(intervalNext).toBeGreaterThan(serverNow().getTime());

  // Three hours of "downtime": one catch-up run each, not a burst; the one-shot never runs again
  await advance(request, 3 * 3600_000);
  await json(await request.post("/api/test/tick"));
  await json(await request.post("/api/test/tick"));
  const cronRuns = await waitForEvents(api, cron.id, (await listEvents(api, cron.id)).length || 1);
  expect(cronRuns.every((e) => e.kind === "schedule")).toBe(true);
  expect(cronRuns.length).toBeLessThanOrEqual(2);
  expect(await waitForEvents(api, interval.id, 2)).toHaveLength(2);
  expect(await listEvents(api, once.id)).toHaveLength(1);
  const nextCron = new Date((await fetchT(cron.id)).nextTriggerAt);
  expect(nextCron.getTime()).toBeGreaterThan(serverNow().getTime());
  expect(nextCron.getUTCMinutes()).toBe(30);

  // Scheduled runs inside a long sessionDuration continue the trigger's own conversation
  const runs = await listEvents(api, interval.id);
  expect(runs[0].conversationId).toBe(runs[1].conversationId);
});

test("an approval nobody decides within approvalTimeout expires and reads as denied: the run completes without the call", async ({
  request,
}) => {
  const receiver = await startReceiver();
  try {
    const { api } = await userWithToken();
    const { id: skillsetId } = await json(
      await api.post("/api/v1/skillset/create", { data: { name: "Shop" } }),
    );
    await json(
      await api.post(`/api/v1/skillset/${skillsetId}/ability/create`, {
        data: {
          name: "refund",
          kind: "http_request",
          config: { method: "POST", url: `${receiver.url}/refunds`, body: '{"o":"{{input.id}}"}' },
        },
      }),
    );
    const { botId, scenario } = await scriptedBot(
      api,
      "expiry",
      [{ tool: "refund", args: { id: "3" }, perTurn: true, then: "Nobody decided." }],
      { skillsetId },
    );
    const trigger = await createTrigger(api, {
      botId,
      authenticate: false,
      approval: "write",
      approvalTimeout: 60_000,
    });
    await sendEvent(request, trigger.id, { data: { text: "refund 3" } });
    await expect
      .poll(async () => (await listEvents(api, trigger.id))[0]?.status, { timeout: 20_000 })
      .toBe("waiting");
    await advance(request, 61_000);
    // the runner's tick (every 10 s) finds it past its time
    const [event] = await waitForEvents(api, trigger.id, 1, 30_000);
    expect(event.status).toBe("completed");
    const { items } = await json(
      await api.get(`/api/v1/integration/trigger/${trigger.id}/approval/list`),
    );
    expect(items[0]).toMatchObject({ status: "expired", decidedBy: null });
    expect(receiver.requests).toHaveLength(0);
    const last = (await modelRequests(scenario)).at(-1)!;
    expect(JSON.stringify(last.messages.filter((m) => m.role === "tool"))).toContain("expired");
  } finally {
    await receiver.close();
  }
});
