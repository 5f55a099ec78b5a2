import { expect, test } from "@playwright/test";
import { scenarioName, scriptLlm, startReceiver } from "./fixtures/pipeline";
import { apiAs, choose, signUpInBrowser, watchConsole } from "./fixtures/ui";

test("the event inspector: kept headers, the payload, and the run's timeline with the tool call's input, output and duration", async ({
  page,
}) => {
  const errors = watchConsole(page);
  const receiver = await startReceiver();
  try {
    await signUpInBrowser(page);
    const scenario = scenarioName("inspect");
    await scriptLlm(scenario, [
      { tool: "lookup_order", args: { orderId: "A-17" } },
      { text: "Order A-17 has shipped." },
    ]);
    const { id: skillsetId } = await apiAs(page, "/api/v1/skillset/create", { name: "Orders" });
    await apiAs(page, `/api/v1/skillset/${skillsetId}/ability/create`, {
      name: "lookup_order",
      description: "Look an order up",
      kind: "http_request",
      config: { method: "GET", url: `${receiver.url}/orders/{{input.orderId}}` },
    });
    const { id: botId } = await apiAs(page, "/api/v1/bot/create", {
      name: "Shipper",
      model: "openai/stub",
      backstory: `[scenario:${scenario}]`,
      skillsetId,
    });
    const trigger = await apiAs(page, "/api/v1/integration/trigger/create", {
      botId,
      name: "GitHub orders",
      authenticate: false,
    });
    const origin = new URL(page.url()).origin;
    const sent = await page.request.post(
      `${origin}/v1/integration/trigger/${trigger.id}/event?session=order-17`,
      {
        headers: { "x-github-event": "issues", "x-github-delivery": "delivery-17" },
        data: { text: "Where is order A-17?", marker: "inspect-me" },
      },
    );
    expect(sent.status()).toBe(202);
    const { id: eventId } = await sent.json();

    await page.goto(`/triggers/${trigger.id}?tab=events`);
    await expect(page.getByRole("tab", { name: "Events" })).toHaveAttribute(
      "aria-selected",
      "true",
    );
    await page.getByRole("link", { name: `Inspect event ${eventId}` }).click();
    await expect(page).toHaveURL(new RegExp(`/triggers/${trigger.id}/events/${eventId}$`));
    await expect(page.getByRole("heading", { name: "Event", exact: true })).toBeVisible();

    // what arrived: the kept headers and the payload
    const headers = page.getByLabel("Headers");
    await expect(headers).toContainText("x-github-event");
    await expect(headers).toContainText("issues");
    await expect(headers).toContainText("delivery-17");
    // the provider's delivery id became the idempotency key
    await expect(page.getByText("github:delivery-17")).toBeVisible();
    await expect(page.getByLabel("Payload", { exact: true })).toContainText(
      '"marker": "inspect-me"',
    );

    // the run, in order: claimed, the message the bot read, the tool call, the reply, finished
    const timeline = page.getByRole("list", { name: "Run timeline" });
    await expect(timeline).toContainText("Finished: completed", { timeout: 20_000 });
    const labels = await timeline.locator(":scope > li > div > span:first-child").allTextContents();
    expect(labels).toEqual([
      "Received",
      "Claimed",
      "Message to the bot",
      "Model call 1",
      "Tool call: lookup_order",
      "Model call 2",
      "Reply",
      "Finished: completed",
    ]);
    await expect(timeline.getByRole("listitem").filter({ hasText: "Model call 1" })).toContainText(
      /answered in \d+ ms/,
    );
    const call = timeline.getByRole("listitem").filter({ hasText: "Tool call: lookup_order" });
    await expect(call).toContainText(/took \d+ ms/);
    await expect(call.getByLabel("Input")).toContainText('"orderId": "A-17"');
    await expect(call.getByLabel("Output")).toContainText('"order": "shipped"');
    await expect(timeline).toContainText("Order A-17 has shipped.");
    expect(receiver.requests.map((r) => r.url)).toEqual(["/orders/A-17"]);

    // the conversation at its own URL, read as a chat
    await page.getByRole("link", { name: "Open conversation" }).click();
    await expect(page).toHaveURL(/\/conversations\/conversation_/);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    const chat = page.getByRole("list", { name: "Messages" });
    await expect(chat.getByTestId("message-user")).toContainText("Where is order A-17?");
    await expect(chat.getByTestId("message-activity")).toContainText("lookup_order");
    await expect(chat.getByTestId("message-bot")).toContainText("Order A-17 has shipped.");
    // the list row says how it ended and what was said last
    await page.getByRole("link", { name: "Conversations" }).first().click();
    const row = page.getByTestId("conversation").first();
    await expect(row).toContainText("3 messages");
    await expect(row).toContainText("completed");
    await expect(row).toContainText("Bot: Order A-17 has shipped.");
    await page.goBack();
    await page.goBack();

    // replay from the inspector queues a copy
    await page.getByRole("button", { name: "Replay" }).click();
    await expect(page.getByText("Replay queued")).toBeVisible();
    await page.getByRole("link", { name: "Events" }).click();
    await expect(page.getByTestId("event-row")).toHaveCount(2);
    expect(errors).toEqual([]);
  } finally {
    await receiver.close();
  }
});

test("the events list: filters live in the URL and survive a reload, payloads are searched on the server, selected events replay together", async ({
  page,
}) => {
  await signUpInBrowser(page);
  const { id: botId } = await apiAs(page, "/api/v1/bot/create", { name: "Echo", model: "echo" });
  const trigger = await apiAs(page, "/api/v1/integration/trigger/create", {
    botId,
    name: "Orders",
    authenticate: false,
  });
  const origin = new URL(page.url()).origin;
  for (const text of ["alpha order 100%", "beta refund", "gamma order"]) {
    const res = await page.request.post(`${origin}/v1/integration/trigger/${trigger.id}/event`, {
      data: { text },
    });
    expect(res.status()).toBe(202);
  }
  const list = (query: string) =>
    apiAs(page, `/api/v1/integration/trigger/${trigger.id}/event/list?${query}`);
  await expect
    .poll(async () => (await list("status=completed")).items.length, { timeout: 20_000 })
    .toBe(3);
  // the search runs on the server, with LIKE's wildcards taken literally
  expect((await list("search=REFUND")).items).toHaveLength(1);
  expect((await list("search=100%25")).items).toHaveLength(1);
  expect((await list("search=%25")).items).toHaveLength(1);

  await page.goto(`/triggers/${trigger.id}?tab=events`);
  await expect(page.getByTestId("event-row")).toHaveCount(3);
  await page.getByLabel("Search payloads").fill("order");
  await expect(page).toHaveURL(/[?&]q=order/);
  await expect(page.getByTestId("event-row")).toHaveCount(2);
  await choose(page, "Status", "Completed");
  await expect(page).toHaveURL(/[?&]status=completed/);
  await page.reload();
  await expect(page.getByRole("tab", { name: "Events" })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByLabel("Search payloads")).toHaveValue("order");
  await expect(page.getByRole("combobox", { name: "Status" })).toContainText("Completed");
  await expect(page.getByTestId("event-row")).toHaveCount(2);

  await page.getByLabel("Select all events shown").check();
  await expect(page.getByRole("group", { name: "Selected events" })).toContainText("2 selected");
  await page.getByRole("button", { name: "Replay selected" }).click();
  await expect(page.getByText("Replaying 2 events")).toBeVisible();
  await page.getByLabel("Search payloads").fill("");
  await expect(page).not.toHaveURL(/[?&]q=/);
  await expect
    .poll(async () => (await list("status=completed")).items.length, { timeout: 20_000 })
    .toBe(5);
  await expect(page.getByTestId("event-row")).toHaveCount(5);
  // a manual run says so in the conversation list
  await apiAs(page, `/api/v1/integration/trigger/${trigger.id}/invoke`, {});
  await page.goto("/conversations");
  await expect(page.getByTestId("conversation").filter({ hasText: "manual run" })).toBeVisible();
  await page.goto(`/triggers/${trigger.id}?tab=events&status=completed`);
  // a filter that matches nothing says so
  await page.getByLabel("Search payloads").fill("no such text");
  await expect(page.getByText("No events match these filters")).toBeVisible();
});
