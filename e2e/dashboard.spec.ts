import { expect, test } from "@playwright/test";
import { scenarioName, scriptLlm, startReceiver } from "./fixtures/pipeline";
import { apiAs, choose, signUpInBrowser, watchConsole } from "./fixtures/ui";

test("the whole story: bot with an ability, authenticated trigger, secret once, event, invoke, rotate, delete", async ({
  page,
  context,
  request,
}) => {
  test.setTimeout(120_000);
  const errors = watchConsole(page);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const receiver = await startReceiver();
  const scenario = scenarioName("story");
  await scriptLlm(scenario, [
    { tool: "notify_shop", args: { orderId: "77" } },
    { text: "Told the shop about order 77." },
  ]);

  await signUpInBrowser(page);
  await expect(page.getByText("No triggers yet")).toBeVisible();

  // A skillset with an http_request ability
  await page.getByRole("link", { name: "Skillsets" }).click();
  await page.getByLabel("New skillset name").fill("Shop API");
  await page.getByRole("button", { name: "Create skillset" }).click();
  await page.getByRole("button", { name: "Add ability" }).click();
  await page.getByLabel("Ability name").fill("notify_shop");
  await choose(page, "Method", "POST");
  await page.getByLabel("URL").fill(`${receiver.url}/orders/{{input.orderId}}`);
  await page.getByLabel("Body template (optional)").fill('{"order":"{{input.orderId}}"}');
  await page.getByRole("button", { name: "Save ability" }).click();
  await expect(page.getByText(`POST ${receiver.url}/orders/{{input.orderId}}`)).toBeVisible();
  // edited afterwards: a fuller body and a header
  await page.getByRole("button", { name: "Edit ability notify_shop" }).click();
  await expect(page.getByLabel("Body template (optional)")).toHaveValue(
    '{"order":"{{input.orderId}}"}',
  );
  await page
    .getByLabel("Body template (optional)")
    .fill('{"order":"{{input.orderId}}","said":"{{event.text}}"}');
  await page.getByLabel(/^Headers/).fill("X-Shop: demo");
  await page.getByRole("button", { name: "Save ability" }).click();
  await expect(page.getByText("Ability notify_shop saved")).toBeVisible();

  // A bot using it
  await page.getByRole("link", { name: "Bots" }).click();
  await page.getByRole("button", { name: "New bot" }).first().click();
  await page.getByLabel("Name", { exact: true }).fill("Shop bot");
  await choose(page, "Model", /gpt-4o-mini/);
  await page
    .getByLabel("Backstory (system prompt)")
    .fill(`You keep the shop informed. [scenario:${scenario}]`);
  await choose(page, "Skillset", "Shop API");
  await page.getByRole("button", { name: "Create bot" }).click();
  await expect(page.getByRole("cell", { name: "Shop bot", exact: true })).toBeVisible();

  // An authenticated trigger; the secret is shown once
  await page.getByRole("link", { name: "Triggers" }).click();
  await page.getByRole("button", { name: "New trigger" }).first().click();
  await page.getByLabel("Name", { exact: true }).fill("Shop orders");
  await choose(page, "Bot", /Shop bot/);
  await expect(page.getByRole("switch", { name: "Require authentication" })).toBeChecked();
  // a Bearer sender does not sign: the form proposes that write calls wait; this story acts at once
  await expect(page.getByLabel("Approval before a call runs")).toHaveText(/Calls that write wait/);
  await choose(page, "Approval before a call runs", /None: every call runs at once/);
  await page.getByRole("button", { name: "Create trigger" }).click();
  const secret = (await page.getByTestId("revealed-secret").textContent()) ?? "";
  expect(secret).toMatch(/^[0-9a-f]{64}$/);
  await expect(page.getByText("it will not be shown again")).toBeVisible();
  await page.getByRole("button", { name: "Copy event URL" }).click();
  const eventUrl = await page.evaluate(() => navigator.clipboard.readText());
  expect(eventUrl).toMatch(/\/v1\/integration\/trigger\/trigger_[0-9A-Z]{26}\/event$/);
  await page.getByRole("button", { name: "I have stored the secret" }).click();
  await expect(page).toHaveURL(/\/triggers\/trigger_/);
  await expect(page.getByRole("heading", { name: "Shop orders" })).toBeVisible();

  await page.reload();
  await expect(page.getByTestId("masked-secret")).toHaveText(`••••${secret.slice(-4)}`);
  expect(await page.content()).not.toContain(secret);

  // An event with the secret: the conversation appears without reloading
  await page.getByRole("tab", { name: "Conversations" }).click();
  await expect(page.getByText("No conversations yet")).toBeVisible();
  const sent = await request.post(eventUrl, {
    headers: { authorization: `Bearer ${secret}` },
    data: { text: "Order 77 paid", amount: 12 },
  });
  expect(sent.status()).toBe(202);
  const conversation = page.getByTestId("conversation").first();
  await expect(conversation).toBeVisible();
  await conversation.getByRole("button").first().click();
  await expect(conversation.getByTestId("message-user")).toContainText("Order 77 paid");
  await expect(conversation.getByTestId("message-activity")).toContainText("notify_shop");
  await expect(conversation.getByTestId("message-bot")).toContainText(
    "Told the shop about order 77.",
  );
  await conversation.getByText("Event data the bot read").click();
  await expect(conversation.getByText('"amount": 12')).toBeVisible();
  expect(JSON.parse(receiver.requests[0].body)).toEqual({ order: "77", said: "Order 77 paid" });
  expect(receiver.requests[0].headers["x-shop"]).toBe("demo");

  // Invoke: a second run appears
  await scriptLlm(scenario, [{ text: "Manual run done." }]);
  await page.getByRole("button", { name: "Invoke" }).click();
  await expect(page.getByText("Queued", { exact: true })).toBeVisible();
  await expect(page.getByTestId("conversation")).toHaveCount(2);

  // Rotate: the old secret keeps working during the grace period
  await page.getByRole("tab", { name: "Settings" }).click();
  await page.getByRole("button", { name: "Rotate secret" }).click();
  const rotated = (await page.getByTestId("revealed-secret").textContent()) ?? "";
  expect(rotated).toMatch(/^[0-9a-f]{64}$/);
  expect(rotated).not.toBe(secret);
  await page.getByRole("button", { name: "I have stored the secret" }).click();
  expect(
    (
      await request.post(eventUrl, {
        headers: { authorization: `Bearer ${secret}` },
        data: { text: "old secret" },
      })
    ).status(),
  ).toBe(202);
  expect(
    (
      await request.post(eventUrl, {
        headers: { authorization: `Bearer ${rotated}` },
        data: { text: "new secret" },
      })
    ).status(),
  ).toBe(202);
  // Revoke old secret now: it stops at once, the new one keeps working
  await page.getByRole("button", { name: "Revoke old secret now" }).click();
  await expect(page.getByRole("button", { name: "Revoke old secret now" })).toHaveCount(0);
  expect(
    (
      await request.post(eventUrl, { headers: { authorization: `Bearer ${secret}` }, data: {} })
    ).status(),
  ).toBe(401);

  // Delete: conversations remain
  await page.getByRole("button", { name: "Delete trigger" }).click();
  await expect(page.getByRole("dialog")).toContainText("Delete “Shop orders”?");
  await expect(page.getByRole("dialog")).toContainText("Its conversations remain");
  await page.getByRole("button", { name: "Delete “Shop orders”" }).click();
  await expect(page).toHaveURL(/\/triggers$/);
  await expect(page.getByText("No triggers yet")).toBeVisible();
  expect(
    (
      await request.post(eventUrl, { headers: { authorization: `Bearer ${rotated}` }, data: {} })
    ).status(),
  ).toBe(404);
  await page.getByRole("link", { name: "Conversations" }).click();
  await expect(page.getByTestId("conversation").first()).toBeVisible();
  expect(await page.getByTestId("conversation").count()).toBeGreaterThanOrEqual(2);
  await receiver.close();
  expect(errors).toEqual([]);
});

test("infinite scroll loads all 65 triggers in pages, nothing twice", async ({ page }) => {
  const errors = watchConsole(page);
  await signUpInBrowser(page);
  const { id: botId } = await apiAs(page, "/api/v1/bot/create", { name: "b" });
  for (let i = 0; i < 65; i++)
    await apiAs(page, "/api/v1/integration/trigger/create", {
      botId,
      name: `Trigger ${String(i).padStart(2, "0")}`,
    });
  await page.reload();
  const rows = page.getByTestId("trigger-row");
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBe(25);
  // scrolled to the list's end again until the last page has come (each load may take a while)
  await expect(async () => {
    if (await page.getByTestId("load-more").isVisible())
      await page.getByTestId("load-more").scrollIntoViewIfNeeded();
    await expect(page.getByText("End of triggers")).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  const names = await rows.getByRole("link").allTextContents();
  expect(names).toHaveLength(65);
  expect(new Set(names).size).toBe(65);
  expect(names[0]).toBe("Trigger 64");
  expect(names[64]).toBe("Trigger 00");

  await page.getByLabel("Search triggers by name").fill("Trigger 1");
  await expect(rows).toHaveCount(10);
  expect(errors).toEqual([]);
});

test("create form: live schedule preview with 5 runs, client and server validation errors on the fields", async ({
  page,
}) => {
  const errors = watchConsole(page);
  await signUpInBrowser(page);
  await apiAs(page, "/api/v1/bot/create", { name: "Validator" });
  await page.reload();
  await page.getByRole("button", { name: "New trigger" }).first().click();
  await page.getByRole("button", { name: "Create trigger" }).click();
  await expect(page.getByTestId("trigger-bot-error")).toHaveText(
    "Choose the bot that will process events",
  );

  await page.getByLabel("Timezone").fill("Europe/Berlin");
  await page.getByLabel("Schedule (optional)").fill("0 9 * * 1-5");
  const preview = page.getByTestId("schedule-preview");
  await expect(preview).toContainText("09:00");
  await expect(preview).toContainText("Monday through Friday (Europe/Berlin)");
  await expect(preview.getByRole("listitem")).toHaveCount(5);
  await page.getByLabel("Schedule (optional)").fill("61 * * * *");
  await expect(page.getByText(/not a valid cron expression/)).toBeVisible();
  await page.getByLabel("Schedule (optional)").fill("15m");
  await expect(preview).toContainText("Every 15 minutes");

  await choose(page, "Bot", /Validator/);
  await page.getByLabel("Timezone").fill("Mars/Olympus");
  await page.getByLabel("Schedule (optional)").fill("");
  await page.getByRole("button", { name: "Create trigger" }).click();
  await expect(page.getByTestId("trigger-timezone-error")).toContainText("IANA time zone");
  expect(errors).toEqual([]);
});

test("skillsets and bots: edit in place; deletes ask first and say what stays; a bot in use is refused with the reason", async ({
  page,
}) => {
  const errors = watchConsole(page);
  await signUpInBrowser(page);
  const { id: skillsetId } = await apiAs(page, "/api/v1/skillset/create", { name: "Billing" });
  await apiAs(page, `/api/v1/skillset/${skillsetId}/ability/create`, {
    name: "refund",
    kind: "webhook",
    config: { url: "https://example.com/refund" },
  });
  const { id: botId } = await apiAs(page, "/api/v1/bot/create", { name: "Refunder", skillsetId });
  await apiAs(page, "/api/v1/integration/trigger/create", { botId, name: "Refund requests" });

  await page.getByRole("link", { name: "Skillsets" }).click();
  await page.getByRole("button", { name: "Edit skillset Billing" }).click();
  await page.getByLabel("Skillset name", { exact: true }).fill("Billing API");
  await page.getByLabel("Skillset description", { exact: true }).fill("Refunds and invoices");
  await page.getByRole("button", { name: "Save skillset" }).click();
  await expect(page.getByText("Refunds and invoices")).toBeVisible();

  await page.getByRole("button", { name: "Edit ability refund" }).click();
  await page.getByLabel("Timeout (ms)").fill("100");
  await page.getByRole("button", { name: "Save ability" }).click();
  await expect(page.getByText(/greater than or equal to 500|>=500/)).toBeVisible(); // the server's message, on the field
  await page.getByLabel("Timeout (ms)").fill("5000");
  await page.getByRole("button", { name: "Save ability" }).click();
  await expect(page.getByText("Ability refund saved")).toBeVisible();

  await page.getByRole("button", { name: "Delete ability refund" }).click();
  await expect(page.getByRole("dialog")).toContainText(
    "Recorded calls stay in their conversations",
  );
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByText("https://example.com/refund")).toBeVisible();
  await page.getByRole("button", { name: "Delete ability refund" }).click();
  await page.getByRole("button", { name: "Delete “refund”" }).click();
  await expect(page.getByText("No abilities yet.")).toBeVisible();

  await page.getByRole("link", { name: "Bots" }).click();
  await page.getByRole("button", { name: "Delete Refunder" }).click();
  await expect(page.getByRole("dialog")).toContainText("Its conversations remain");
  await page.getByRole("button", { name: "Delete “Refunder”" }).click();
  await expect(page.getByText(/Refund requests/)).toBeVisible(); // the 409 names the trigger using it
  await expect(page.getByRole("dialog")).toBeVisible();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("cell", { name: "Refunder", exact: true })).toBeVisible();
  expect(errors).toEqual([]);
});

test("conversations across triggers: find a trigger by name, filter by it", async ({ page }) => {
  const errors = watchConsole(page);
  await signUpInBrowser(page);
  const { id: botId } = await apiAs(page, "/api/v1/bot/create", { name: "b" });
  const alpha = await apiAs(page, "/api/v1/integration/trigger/create", {
    botId,
    name: "Alpha orders",
  });
  const beta = await apiAs(page, "/api/v1/integration/trigger/create", {
    botId,
    name: "Beta refunds",
  });
  await apiAs(page, `/api/v1/integration/trigger/${alpha.id}/invoke`, { text: "alpha run" });
  await apiAs(page, `/api/v1/integration/trigger/${beta.id}/invoke`, { text: "beta run" });

  await page.getByRole("link", { name: "Conversations" }).click();
  await expect(page.getByTestId("conversation")).toHaveCount(2);
  await page.getByLabel("Find a trigger by name").fill("refund");
  await page.getByRole("combobox", { name: "Trigger" }).click();
  await expect(page.getByRole("option")).toHaveText(["All triggers", "Beta refunds"]);
  await page.getByRole("option", { name: "Beta refunds" }).click();
  await expect(page.getByTestId("conversation")).toHaveCount(1);
  await expect(page.getByTestId("conversation")).toContainText("Beta refunds");
  expect(errors).toEqual([]);
});
