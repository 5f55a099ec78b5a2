import { expect, test, type Page } from "@playwright/test";
import { apiAs, signUpInBrowser } from "./fixtures/ui";

// At phone width (390 px) no page scrolls sideways, and the main navigation is a menu.
test.use({ viewport: { width: 390, height: 844 } });

async function expectNoSidewaysScroll(page: Page, where: string) {
  // let late content (queries, fonts) settle first
  await page.waitForLoadState("networkidle");
  const { scrollWidth, innerWidth, wide } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    // the widest element that sticks out, to say what to fix
    wide: [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
      .filter((el) => !el.closest("[data-scroll-x]"))
      .slice(0, 3)
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 60)}`),
  }));
  expect(
    scrollWidth,
    `${where} scrolls sideways; sticking out: ${wide.join(" | ")}`,
  ).toBeLessThanOrEqual(innerWidth);
}

test("every page fits a 390 px phone: no sideways scroll, navigation through a menu", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signUpInBrowser(page);
  const { id: botId } = await apiAs(page, "/api/v1/bot/create", {
    name: "A bot with a rather long name for a small screen",
    model: "echo",
  });
  const trigger = await apiAs(page, "/api/v1/integration/trigger/create", {
    botId,
    name: "GitHub issues for the very-long-repository-name-that-wraps",
    description: "Opened and closed issues",
    meta: { team: "platform-infrastructure-and-tooling" },
  });
  const origin = new URL(page.url()).origin;
  let eventId = "";
  for (let i = 0; i < 3; i++) {
    const res = await page.request.post(
      `${origin}/v1/integration/trigger/${trigger.id}/event?session=issue-${i}`,
      {
        headers: { authorization: `Bearer ${trigger.secret}` },
        data: {
          text: `Issue ${i} opened`,
          url: `https://github.com/acme/very-long-repository-name/issues/${i}`,
        },
      },
    );
    expect(res.status()).toBe(202);
    eventId = (await res.json()).id;
  }

  // the navigation is a menu button at this width
  const menu = page.getByRole("button", { name: "Open navigation" });
  await expect(menu).toBeVisible();
  await menu.click();
  await page.getByRole("menuitem", { name: "Bots" }).click();
  await expect(page).toHaveURL(/\/bots$/);

  for (const path of [
    "/overview",
    "/triggers",
    "/approvals",
    "/notifications",
    "/conversations",
    "/bots",
    "/skillsets",
    "/blueprints",
    "/tokens",
    "/account",
  ]) {
    await page.goto(path);
    await expectNoSidewaysScroll(page, path);
  }
  await page.goto(`/triggers/${trigger.id}`);
  for (const tab of ["Overview", "Conversations", "Events", "Tests", "Settings"]) {
    await page.getByRole("tab", { name: tab }).click();
    await expectNoSidewaysScroll(page, `trigger ${tab} tab`);
  }
  await page.goto(`/triggers/${trigger.id}/events/${eventId}`);
  await expect(page.getByRole("list", { name: "Run timeline" })).toContainText("Finished");
  await expectNoSidewaysScroll(page, "event inspector");
  await page.getByRole("button", { name: "Run dry run" }).click();
  await expect(page.getByRole("region", { name: "Dry run reply" })).toBeVisible();
  await expectNoSidewaysScroll(page, "dry run side by side");
  await page.getByRole("link", { name: "Open conversation" }).click();
  await expect(page.getByRole("list", { name: "Messages" })).toBeVisible();
  await expectNoSidewaysScroll(page, "conversation transcript");
});
