import { expect, test } from "@playwright/test";
import { PASSWORD, uniqueEmail } from "./fixtures/accounts";

test("sign up, land on Triggers, sign out, sign in, create and revoke an API token", async ({
  page,
  context,
}) => {
  const errors: string[] = [];
  // 4xx answers the test provokes on purpose show up as "Failed to load resource"; anything else is a bug.
  page.on("console", (m) => {
    if (
      m.type() === "error" &&
      !/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())
    )
      errors.push(m.text());
  });
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);

  await page.goto("/triggers");
  await expect(page).toHaveURL(/\/signin/);
  await page.getByRole("link", { name: "Create one" }).click();
  await expect(page.getByRole("heading", { name: "Create account" })).toBeVisible();

  const email = uniqueEmail("ui");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Password must be at least 8 characters")).toBeVisible();

  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/triggers$/);
  await expect(page.getByRole("heading", { name: "Triggers", level: 1 })).toBeVisible();

  await page.getByRole("button", { name: "User menu" }).first().click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("wrong-password-here");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Wrong email or password.")).toBeVisible();
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/triggers/);

  await page.getByRole("link", { name: "API tokens" }).click();
  await expect(page.getByText("No API tokens yet")).toBeVisible();
  await page.getByRole("button", { name: "New token" }).click();
  await page.getByLabel("Token name").fill("ci script");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent()) ?? "";
  expect(token).toMatch(/^tdk_/);
  await page.getByRole("button", { name: "Copy token" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

  const ok = await page.request.get("/api/v1/token/list", {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(ok.status()).toBe(200);

  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("cell", { name: "ci script", exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Revoke ci script" }).click();
  await expect(page.getByRole("dialog")).toContainText("Programs using it get 401");
  await page.getByRole("button", { name: "Revoke “ci script”" }).click();
  await expect(page.getByText("No API tokens yet")).toBeVisible();
  const revoked = await page.request.get("/api/v1/token/list", {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(revoked.status()).toBe(401);
  expect(errors).toEqual([]);
});
