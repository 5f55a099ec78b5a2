import { expect, test } from "@playwright/test";
import { scenarioName, scriptLlm } from "./fixtures/pipeline";
import { apiAs, signUpInBrowser, watchConsole } from "./fixtures/ui";

test("charts and the overview: events by status, latency, tokens with the budget bar, failures first", async ({
  page,
}) => {
  const errors = watchConsole(page);
  await signUpInBrowser(page);
  const scenario = scenarioName("charts");
  await scriptLlm(scenario, [{ text: "done" }, { text: "done again" }]);
  const { id: botId } = await apiAs(page, "/api/v1/bot/create", {
    name: "Charted",
    model: "openai/stub",
    backstory: `[scenario:${scenario}]`,
  });
  const trigger = await apiAs(page, "/api/v1/integration/trigger/create", {
    botId,
    name: "Charted orders",
    authenticate: false,
    filter: 'payload.text != "noise"',
  });
  // the hour the events arrive in: a chart drawn across an hour's end has a bar more
  const hourAtStart = new Date().getUTCHours();
  const send = (data: unknown) =>
    page.request.post(`/v1/integration/trigger/${trigger.id}/event`, { data });
  expect((await send({ text: "order 1" })).status()).toBe(202);
  expect((await send({ text: "noise", kind: "noise" })).status()).toBe(202);
  const events = async () =>
    (await apiAs(page, `/api/v1/integration/trigger/${trigger.id}/event/list`)).items as {
      status: string;
      error: string | null;
    }[];
  await expect
    .poll(async () => (await events()).map((e) => e.status).sort())
    .toEqual(["completed", "filtered"]);
  // 15 tokens used; a budget of 10 is spent, so the next event fails and says why
  await apiAs(page, `/api/v1/integration/trigger/${trigger.id}/update`, {
    monthlyTokenBudget: 10,
  });
  expect((await send({ text: "order 2" })).status()).toBe(202);
  await expect
    .poll(async () => (await events()).filter((e) => e.status === "failed").length)
    .toBe(1);

  await page.goto(`/triggers/${trigger.id}`);
  const events24 = page.getByRole("figure", { name: "Events by status" });
  await expect(events24).toContainText("3 events per hour over the last 24 hours, 1 failed");
  await expect(events24.locator(".recharts-surface").first()).toBeVisible();
  for (const label of ["Completed", "Failed", "Filtered", "Cancelled", "Queued or running"])
    await expect(events24.locator(".recharts-legend-item", { hasText: label })).toBeVisible();
  // one bar per status with events in the current hour
  const oneHour = new Date().getUTCHours() === hourAtStart;
  if (oneHour) await expect(events24.locator(".recharts-bar-rectangle path")).toHaveCount(3);
  await page.getByRole("tab", { name: "30 days" }).click();
  await expect(events24).toContainText("3 events per day (UTC) over the last 30 days");
  await expect(events24.locator(".recharts-surface").first()).toBeVisible();

  const latency = page.getByRole("figure", { name: "End-to-end latency" });
  await expect(latency.locator(".recharts-legend-item", { hasText: "p95" })).toBeVisible();
  await expect(latency.locator(".recharts-line-curve").first()).toBeAttached();
  const tokens = page.getByRole("figure", { name: "Model tokens" });
  await expect(tokens).toContainText("15 tokens per day (UTC) over the last 30 days");
  await expect(tokens.locator(".recharts-legend-item", { hasText: "Input tokens" })).toBeVisible();
  const budget = tokens.getByRole("progressbar", { name: "Monthly token budget used" });
  await expect(budget).toHaveAttribute("aria-valuenow", "10");
  await expect(tokens).toContainText("15 of 10 tokens this month");
  await expect(tokens).toContainText("Budget spent");

  // the tooltip names the series and the count
  await events24.locator(".recharts-bar-rectangle").first().hover();
  const tooltip = events24.locator(".recharts-tooltip-wrapper");
  await expect(tooltip).toContainText("Completed1");
  await expect(tooltip).toContainText("Failed1");
  await page.screenshot({ path: "test-results/charts-trigger-overview.png", fullPage: true });

  await page.getByRole("link", { name: "Overview" }).first().click();
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  await expect(page.getByText("Events, 24 hours").locator("..")).toContainText("3");
  await expect(page.getByText("Failed, 24 hours").locator("..")).toContainText("1");
  await expect(page.getByText("Tokens, 30 days").locator("..")).toContainText("15");
  const table = page.getByRole("table", { name: "Triggers, failures first" });
  await expect(table.getByRole("row").nth(1)).toContainText("Charted orders");
  const failures = page.getByRole("list", { name: "Latest failures" });
  await expect(failures).toContainText("monthly token budget is spent");
  await page.screenshot({ path: "test-results/charts-account-overview.png", fullPage: true });
  await failures.getByRole("link", { name: "Charted orders" }).click();
  await expect(page).toHaveURL(new RegExp(`/triggers/${trigger.id}/events/event_`));
  await expect(page.getByTestId("event-tokens")).toHaveText("—");
  expect(errors).toEqual([]);
});
