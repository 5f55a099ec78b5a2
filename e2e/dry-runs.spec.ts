import { expect, test, type APIRequestContext } from "@playwright/test";
import { userWithToken } from "./fixtures/accounts";
import {
  contentText,
  messagesOf,
  modelRequests,
  scriptedBot,
  scriptLlm,
  startReceiver,
  waitForEvents,
} from "./fixtures/pipeline";
import { createTrigger, expectError, json } from "./fixtures/resources";
import { apiAs, signUpInBrowser } from "./fixtures/ui";

// Change a bot without fear: dry runs of stored events answer every ability call from what the
// original run recorded, so nothing is sent again; test cases run them against the current
// configuration.

const T = "/api/v1/integration/trigger";

/** A skillset with a read ability (GET lookup) and a write one (POST refund), both at `url`. */
async function shop(api: APIRequestContext, url: string) {
  const { id: skillsetId } = await json(
    await api.post("/api/v1/skillset/create", { data: { name: "Shop" } }),
  );
  const make = async (data: Record<string, unknown>) =>
    json(await api.post(`/api/v1/skillset/${skillsetId}/ability/create`, { data }));
  await make({
    name: "lookup",
    kind: "http_request",
    config: { method: "GET", url: `${url}/orders/{{input.id}}` },
  });
  await make({
    name: "refund",
    kind: "http_request",
    config: { method: "POST", url: `${url}/refunds`, body: '{"order":"{{input.id}}"}' },
  });
  return skillsetId as string;
}

/**
 * A trigger whose bot refunded order A-1 for one event: the receiver got one POST, the event
 * completed with the refund call recorded.
 */
async function refundedEvent(api: APIRequestContext, request: APIRequestContext, tag: string) {
  const receiver = await startReceiver();
  const skillsetId = await shop(api, receiver.url);
  const { botId, scenario } = await scriptedBot(
    api,
    tag,
    [{ tool: "refund", args: { id: "A-1" } }, { text: "Refunded A-1" }],
    { skillsetId },
  );
  const trigger = await createTrigger(api, { botId, authenticate: false });
  expect(
    (
      await request.post(`/v1/integration/trigger/${trigger.id}/event`, {
        data: { text: "Please refund my order", order: "A-1" },
      })
    ).status(),
  ).toBe(202);
  const [event] = await waitForEvents(api, trigger.id, 1);
  expect(event.status).toBe("completed");
  expect(receiver.requests.map((r) => `${r.method} ${r.url}`)).toEqual(["POST /refunds"]);
  return { receiver, trigger, event, scenario, botId };
}

test("a dry run answers the original run's write call from its recording, sends nothing, returns the new reply and leaves the event and its conversation as they were", async ({
  request,
}) => {
  const { api } = await userWithToken();
  const { receiver, trigger, event, scenario } = await refundedEvent(api, request, "dry");
  try {
    const before = await json(await api.get(`${T}/${trigger.id}/event/${event.id}/fetch`));
    const conversation = await messagesOf(api, event.conversationId!);
    const recorded = before.steps.find((s: { meta: { tool?: string } }) => s.meta.tool);

    // the new run: the same refund (recorded), one the original never made, then an answer
    await scriptLlm(scenario, [
      { tool: "refund", args: { id: "A-1" } },
      { tool: "refund", args: { id: "B-2" } },
      { text: "Refunded A-1; B-2 could not be checked" },
    ]);
    const dry = await json(
      await api.post(`${T}/${trigger.id}/event/${event.id}/dry-run`, { data: {} }),
    );
    expect(dry).toMatchObject({
      status: "completed",
      eventId: event.id,
      reply: "Refunded A-1; B-2 could not be checked",
      recorded: 1,
      notRecorded: 1,
      inputTokens: 30,
      outputTokens: 15,
      original: {
        reply: "Refunded A-1",
        toolCalls: [{ name: "refund", input: { id: "A-1" } }],
      },
    });
    expect(dry.id).toMatch(/^dryrun_/);
    expect(dry.toolCalls).toHaveLength(2);
    expect(dry.toolCalls[0]).toMatchObject({
      name: "refund",
      input: { id: "A-1" },
      answer: "recorded",
      output: recorded.meta.output,
    });
    expect(dry.toolCalls[1]).toMatchObject({
      name: "refund",
      input: { id: "B-2" },
      answer: "not_recorded",
      error: expect.stringContaining("Not recorded in the original run"),
    });
    // what the model read back for each call
    const sent = await modelRequests(scenario);
    const toolAnswers = sent
      .at(-1)!
      .messages.filter((m) => m.role === "tool")
      .map((m) => contentText(m.content));
    expect(toolAnswers).toHaveLength(2);
    expect(toolAnswers[0]).toContain("shipped"); // the receiver's recorded answer
    expect(toolAnswers[1]).toContain("Not recorded in the original run");

    // nothing left the server, and the event and its conversation did not change
    expect(receiver.requests).toHaveLength(1);
    const after = await json(await api.get(`${T}/${trigger.id}/event/${event.id}/fetch`));
    expect(after).toEqual(before);
    expect(await messagesOf(api, event.conversationId!)).toEqual(conversation);
    expect((await json(await api.get(`${T}/${trigger.id}/event/list`))).items).toHaveLength(1);
    // the event's usage is its own; the dry run's tokens are counted on the dry run
    expect(after.inputTokens).toBe(before.inputTokens);

    // kept for 7 days, listed with the event
    const list = await json(await api.get(`${T}/${trigger.id}/event/${event.id}/dry-run/list`));
    expect(list.items.map((d: { id: string }) => d.id)).toEqual([dry.id]);
    const days = (Date.parse(dry.expiresAt) - Date.parse(dry.createdAt)) / 86_400_000;
    expect(days).toBeCloseTo(7, 3);
  } finally {
    await receiver.close();
  }
});

test("overrides reach the model; live reads only when allowed and only for read abilities; bad input gets a clear error", async ({
  request,
}) => {
  const { api } = await userWithToken();
  const { receiver, trigger, event, scenario } = await refundedEvent(api, request, "dry-over");
  try {
    await scriptLlm(scenario, [{ text: "Summary for finance" }]);
    const changed = await json(
      await api.post(`${T}/${trigger.id}/event/${event.id}/dry-run`, {
        data: {
          prompt: "Summarise order {{payload.order}} for finance",
          backstory: `[scenario:${scenario}] You answer in one line.`,
          maxIterations: 2,
        },
      }),
    );
    expect(changed).toMatchObject({ status: "completed", reply: "Summary for finance" });
    const [sent] = await modelRequests(scenario).then((r) => r.slice(-1));
    const system = contentText(sent.messages.find((m) => m.role === "system")!.content);
    const user = contentText(sent.messages.filter((m) => m.role === "user").at(-1)!.content);
    expect(system).toContain("You answer in one line.");
    expect(user).toContain('Summarise order "A-1" for finance');
    // the original run was sent the event's own text
    const original = (await modelRequests(scenario))[0];
    expect(
      contentText(original.messages.filter((m) => m.role === "user").at(-1)!.content),
    ).toContain("Please refund my order");

    // a read the original never made: not recorded, unless live reads are allowed
    await scriptLlm(scenario, [
      { tool: "lookup", args: { id: "Z-9" } },
      { tool: "refund", args: { id: "Z-9" } },
      { text: "done" },
    ]);
    const closed = await json(
      await api.post(`${T}/${trigger.id}/event/${event.id}/dry-run`, { data: {} }),
    );
    expect(closed.toolCalls.map((c: { answer: string }) => c.answer)).toEqual([
      "not_recorded",
      "not_recorded",
    ]);
    expect(receiver.requests).toHaveLength(1);
    await scriptLlm(scenario, [
      { tool: "lookup", args: { id: "Z-9" } },
      { tool: "refund", args: { id: "Z-9" } },
      { text: "done" },
    ]);
    const open = await json(
      await api.post(`${T}/${trigger.id}/event/${event.id}/dry-run`, {
        data: { liveReads: true },
      }),
    );
    expect(open.toolCalls.map((c: { answer: string }) => c.answer)).toEqual([
      "live",
      "not_recorded",
    ]);
    // the read went out; the write did not
    expect(receiver.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "POST /refunds",
      "GET /orders/Z-9",
    ]);
    // the live read carries a key of the dry run's own, never one a real run of the event uses
    expect(receiver.requests[1].headers["idempotency-key"]).toBe(`${open.id}-0`);
    expect(receiver.requests[0].headers["idempotency-key"]).toBe(`${event.id}-0`);

    // narrowing the abilities: the model is not offered the write tool at all
    await scriptLlm(scenario, [{ text: "read only" }]);
    await json(
      await api.post(`${T}/${trigger.id}/event/${event.id}/dry-run`, {
        data: { abilities: "read" },
      }),
    );
    const narrowed = (await modelRequests(scenario)).at(-1)!;
    expect(narrowed.tools.map((t) => t.function.name)).toEqual(["lookup"]);

    await expectError(
      await api.post(`${T}/${trigger.id}/event/${event.id}/dry-run`, {
        data: { model: "openai/not-offered-here" },
      }),
      422,
      "VALIDATION_ERROR",
    );
    await expectError(
      await api.post(`${T}/${trigger.id}/event/${event.id}/dry-run`, {
        data: { backstroy: "typo" },
      }),
      422,
      "VALIDATION_ERROR",
    );
    await expectError(
      await api.post(`${T}/${trigger.id}/event/${event.id}/dry-run`, {
        data: { maxIterations: 99 },
      }),
      422,
      "VALIDATION_ERROR",
    );
    await expectError(
      await api.post(`${T}/${trigger.id}/event/event_00000000000000000000000000/dry-run`, {
        data: {},
      }),
      404,
      "NOT_FOUND",
    );
    // another account cannot dry-run this event
    const { api: other } = await userWithToken();
    await expectError(
      await other.post(`${T}/${trigger.id}/event/${event.id}/dry-run`, { data: {} }),
      404,
      "NOT_FOUND",
    );
  } finally {
    await receiver.close();
  }
});

test("test cases: one passing and one failing case are reported per expectation; the suite keeps the event and sends nothing; at most 50 per trigger", async ({
  request,
}) => {
  const { api } = await userWithToken();
  const { receiver, trigger, event, scenario } = await refundedEvent(api, request, "suite");
  try {
    const passing = await json(
      await api.post(`${T}/${trigger.id}/test/case/create`, {
        data: {
          eventId: event.id,
          name: "refunds the order",
          expectations: [
            { type: "reply_contains", value: "refunded" },
            { type: "reply_matches", pattern: "A-\\d" },
            { type: "tool_called", tool: "refund", input: { id: "A-1" } },
          ],
        },
      }),
    );
    expect(passing).toMatchObject({ name: "refunds the order", recordedCalls: 1 });
    expect(passing.event).toMatchObject({ id: event.id, payload: { order: "A-1" } });
    const failing = await json(
      await api.post(`${T}/${trigger.id}/test/case/create`, {
        data: {
          eventId: event.id,
          name: "never refunds",
          expectations: [
            { type: "tool_not_called", tool: "refund" },
            { type: "reply_not_contains", value: "Refunded" },
            { type: "tool_called", tool: "lookup" },
          ],
        },
      }),
    );
    // one reply fits every case's run: the refund, then the answer once the tool answered
    await scriptLlm(scenario, [
      { tool: "refund", args: { id: "A-1" }, perTurn: true, then: "Refunded A-1 again" },
    ]);
    const run = await json(await api.post(`${T}/${trigger.id}/test/run`, { data: {} }));
    expect(run).toMatchObject({ status: "failed", cases: 2, passed: 1, failed: 1 });
    const byName = Object.fromEntries(
      run.results.map((r: { name: string }) => [r.name, r]),
    ) as Record<string, { passed: boolean; expectations: { type: string; passed: boolean }[] }>;
    expect(byName["refunds the order"].passed).toBe(true);
    expect(byName["refunds the order"].expectations.map((e) => e.passed)).toEqual([
      true,
      true,
      true,
    ]);
    expect(byName["never refunds"].passed).toBe(false);
    expect(byName["never refunds"].expectations.map((e) => [e.type, e.passed])).toEqual([
      ["tool_not_called", false],
      ["reply_not_contains", false],
      ["tool_called", false],
    ]);
    // both runs answered the refund from the recording: nothing was sent
    expect(receiver.requests).toHaveLength(1);
    expect((await json(await api.get(`${T}/${trigger.id}/test/run/list`))).items[0].id).toBe(
      run.id,
    );

    // fix the failing case: the suite passes
    await json(
      await api.post(`${T}/${trigger.id}/test/case/${failing.id}/update`, {
        data: { expectations: [{ type: "tool_called", tool: "refund" }] },
      }),
    );
    const again = await json(await api.post(`${T}/${trigger.id}/test/run`, { data: {} }));
    expect(again).toMatchObject({ status: "passed", passed: 2, failed: 0 });
    // an update that changes nothing is not an error
    expect(
      await json(await api.post(`${T}/${trigger.id}/test/case/${failing.id}/update`, { data: {} })),
    ).toMatchObject({ id: failing.id, name: "never refunds" });
    // a bad override is the request's error, not a run of failed cases
    await expectError(
      await api.post(`${T}/${trigger.id}/test/run`, {
        data: { overrides: { model: "openai/not-offered-here" } },
      }),
      422,
      "VALIDATION_ERROR",
    );

    // an override for the whole suite: a model that answers without the tool fails the first case
    await scriptLlm(scenario, [{ text: "Nothing to do" }]);
    const changed = await json(
      await api.post(`${T}/${trigger.id}/test/run`, {
        data: { caseIds: [passing.id], overrides: { maxIterations: 1 } },
      }),
    );
    expect(changed).toMatchObject({ status: "failed", cases: 1, passed: 0 });

    // bad expectations and the limit
    await expectError(
      await api.post(`${T}/${trigger.id}/test/case/create`, {
        data: { eventId: event.id, expectations: [{ type: "reply_matches", pattern: "(a" }] },
      }),
      422,
      "VALIDATION_ERROR",
    );
    await expectError(
      await api.post(`${T}/${trigger.id}/test/case/create`, {
        data: { eventId: event.id, expectations: [] },
      }),
      422,
      "VALIDATION_ERROR",
    );
    for (let i = 2; i < 50; i++)
      await json(
        await api.post(`${T}/${trigger.id}/test/case/create`, {
          data: { eventId: event.id, expectations: [{ type: "reply_contains", value: "x" }] },
        }),
      );
    await expectError(
      await api.post(`${T}/${trigger.id}/test/case/create`, {
        data: { eventId: event.id, expectations: [{ type: "reply_contains", value: "x" }] },
      }),
      409,
      "CONFLICT",
    );
    // the saved event outlives the event
    await json(await api.post(`${T}/${trigger.id}/test/case/${passing.id}/delete`, { data: {} }));
    await expectError(
      await api.get(`${T}/${trigger.id}/test/case/${passing.id}/fetch`),
      404,
      "NOT_FOUND",
    );
  } finally {
    await receiver.close();
  }
});

test("the inspector: try a change, see the original and the dry run side by side, save it as a test case and run it from the Tests tab", async ({
  page,
  request,
}) => {
  await signUpInBrowser(page);
  const receiver = await startReceiver();
  try {
    const { id: skillsetId } = await apiAs(page, "/api/v1/skillset/create", { name: "Shop" });
    for (const data of [
      {
        name: "lookup",
        kind: "http_request",
        config: { method: "GET", url: `${receiver.url}/orders/{{input.id}}` },
      },
      {
        name: "refund",
        kind: "http_request",
        config: { method: "POST", url: `${receiver.url}/refunds` },
      },
    ])
      await apiAs(page, `/api/v1/skillset/${skillsetId}/ability/create`, data);
    const scenario = `ui-dry-${Date.now().toString(36)}`;
    await scriptLlm(scenario, [{ tool: "refund", args: { id: "A-1" } }, { text: "Refunded A-1" }]);
    const { id: botId } = await apiAs(page, "/api/v1/bot/create", {
      name: "Refunds",
      model: "openai/stub",
      backstory: `[scenario:${scenario}]`,
      skillsetId,
    });
    const trigger = await apiAs(page, `${T}/create`, {
      botId,
      name: "Refund requests",
      authenticate: false,
    });
    await request.post(`/v1/integration/trigger/${trigger.id}/event`, {
      data: { text: "refund A-1" },
    });
    await expect
      .poll(async () => (await apiAs(page, `${T}/${trigger.id}/event/list`)).items[0]?.status)
      .toBe("completed");
    const eventId = (await apiAs(page, `${T}/${trigger.id}/event/list`)).items[0].id;

    await scriptLlm(scenario, [
      { tool: "refund", args: { id: "A-1" } },
      { tool: "lookup", args: { id: "A-1" } },
      { text: "Escalated A-1 to a person" },
    ]);
    await page.goto(`/triggers/${trigger.id}/events/${eventId}`);
    const form = page.getByRole("form", { name: "Try a change" });
    await form.getByLabel("Max iterations").fill("4");
    await form.getByRole("button", { name: "Run dry run" }).click();
    const compare = page.getByRole("region", { name: "Original and dry run" });
    await expect(compare.getByRole("region", { name: "Original reply" })).toContainText(
      "Refunded A-1",
    );
    await expect(compare.getByRole("region", { name: "Dry run reply" })).toContainText(
      "Escalated A-1 to a person",
    );
    await expect(compare.getByLabel("Reply changes").locator("del").first()).toHaveText("Refunded");
    await expect(compare.getByLabel("Reply changes").locator("ins").first()).toHaveText(
      "Escalated",
    );
    const calls = compare.getByRole("list", { name: "Tool call changes" }).getByRole("listitem");
    await expect(calls).toHaveCount(2);
    await expect(calls.filter({ hasText: "refund" })).toContainText("same");
    await expect(calls.filter({ hasText: "refund" })).toContainText("answered from the recording");
    await expect(calls.filter({ hasText: "lookup" })).toContainText("added");
    await expect(calls.filter({ hasText: "lookup" })).toContainText("not recorded");
    expect(receiver.requests).toHaveLength(1);

    await page.getByRole("button", { name: "Save as test case" }).click();
    const dialog = page.getByRole("dialog", { name: "Save as test case" });
    await dialog.getByLabel("Test case name").fill("escalates refunds");
    await dialog.getByRole("textbox", { name: "Text of expectation 1" }).fill("Escalated");
    await dialog.getByRole("button", { name: "Add expectation" }).click();
    await dialog.getByRole("combobox", { name: "Expectation 2" }).click();
    await page.getByRole("option", { name: "A tool is not called" }).click();
    await dialog.getByRole("textbox", { name: "Tool name of expectation 2" }).fill("refund");
    await dialog.getByRole("button", { name: "Save test case" }).click();
    await expect(dialog).toBeHidden();

    await page.goto(`/triggers/${trigger.id}?tab=tests`);
    await expect(page.getByRole("table", { name: "Test cases" })).toContainText(
      "escalates refunds",
    );
    await scriptLlm(scenario, [{ text: "Escalated A-1 to a person" }]);
    await page.getByRole("button", { name: "Run tests" }).click();
    const result = page.getByRole("region", { name: "Test run result" });
    await expect(result).toContainText("1 of 1 passed");
    await expect(result.getByRole("listitem").first()).toContainText("escalates refunds");
    expect(receiver.requests).toHaveLength(1);
  } finally {
    await receiver.close();
  }
});
