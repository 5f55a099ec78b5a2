import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { apiAs, signUpInBrowser, watchConsole } from "./fixtures/ui";

async function audit(page: Page, name: string) {
  await page.screenshot({ path: `e2e/.artifacts/screenshots/${name}.png`, fullPage: true });
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    bad.map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} -> ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 3)
          .join(", ")}`,
    ),
    name,
  ).toEqual([]);
}

test("every page: no serious or critical axe violations, in light and dark; screenshots saved", async ({
  page,
}) => {
  // 16 pages x 2 themes, each with axe: about 2 minutes alone, more beside another worker
  test.setTimeout(300_000);
  const errors = watchConsole(page);
  await page.goto("/signin");
  await audit(page, "signin");
  await page.goto("/signup");
  await audit(page, "signup");
  await signUpInBrowser(page);
  await audit(page, "triggers-empty");

  const { id: skillsetId } = await apiAs(page, "/api/v1/skillset/create", { name: "Shop API" });
  await apiAs(page, `/api/v1/skillset/${skillsetId}/ability/create`, {
    name: "lookup",
    kind: "http_request",
    config: { url: "https://example.com/{{input.id}}" },
  });
  const { id: botId } = await apiAs(page, "/api/v1/bot/create", { name: "Ops bot", skillsetId });
  await apiAs(page, "/api/v1/blueprint/create", { name: "Shop" });
  const { id } = await apiAs(page, "/api/v1/integration/trigger/create", {
    botId,
    name: "Orders",
    schedule: "0 9 * * 1-5",
    timezone: "Europe/Berlin",
  });
  const { eventId } = await apiAs(page, `/api/v1/integration/trigger/${id}/invoke`, {});
  await apiAs(page, "/api/v1/token/create", { name: "ci" });

  for (const theme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: theme });
    for (const [name, path] of [
      ["overview", "/overview"],
      ["triggers", "/triggers"],
      ["approvals", "/approvals"],
      ["notifications", "/notifications"],
      ["conversations", "/conversations"],
      ["bots", "/bots"],
      ["skillsets", "/skillsets"],
      ["blueprints", "/blueprints"],
      ["tokens", "/tokens"],
      ["account", "/account"],
    ]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await page.waitForLoadState("networkidle");
      await audit(page, `${name}-${theme}`);
    }
    await page.goto(`/triggers/${id}`);
    await expect(page.getByRole("heading", { name: "Orders" })).toBeVisible();
    for (const tab of ["Overview", "Conversations", "Events", "Tests", "Settings"]) {
      await page.getByRole("tab", { name: tab }).click();
      await page.waitForLoadState("networkidle");
      await audit(page, `trigger-${tab.toLowerCase()}-${theme}`);
    }
    await page.goto(`/triggers/${id}/events/${eventId}`);
    await expect(page.getByRole("list", { name: "Run timeline" })).toContainText("Finished");
    await page.waitForLoadState("networkidle");
    await audit(page, `event-inspector-${theme}`);
    await page.getByRole("button", { name: "Run dry run" }).click();
    await expect(page.getByRole("region", { name: "Dry run reply" })).toBeVisible();
    await audit(page, `dry-run-${theme}`);
    const { items: convs } = await apiAs(page, `/api/v1/conversation/list?triggerId=${id}`);
    await page.goto(`/conversations/${convs[0].id}`);
    await expect(page.getByRole("list", { name: "Messages" })).toBeVisible();
    await page.waitForLoadState("networkidle");
    await audit(page, `transcript-${theme}`);
  }
  await page.goto("/triggers");
  await page.getByRole("button", { name: "New trigger" }).first().click();
  await page.getByLabel("Schedule (optional)").fill("@hourly");
  await audit(page, "new-trigger-dialog");

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/triggers/${id}`);
  await expect(page.getByRole("heading", { name: "Orders" })).toBeVisible();
  await audit(page, "trigger-phone");
  expect(errors).toEqual([]);
});
