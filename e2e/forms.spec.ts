import { expect, test } from "@playwright/test";
import { apiAs, choose, signUpInBrowser, watchConsole } from "./fixtures/ui";

test("a 422 only the server can find is shown at its field: a bot's skillset deleted while the form was open", async ({
  page,
}) => {
  const errors = watchConsole(page);
  await signUpInBrowser(page);
  const { id: skillsetId } = await apiAs(page, "/api/v1/skillset/create", { name: "Shortlived" });
  await page.goto("/bots");
  await page.getByRole("button", { name: "New bot" }).first().click();
  await page.getByLabel("Name").fill("Helper");
  await choose(page, "Skillset", "Shortlived");
  // gone before the form is saved
  await apiAs(page, `/api/v1/skillset/${skillsetId}/delete`, {});
  await page.getByRole("button", { name: "Create bot" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByText("no such resource")).toBeVisible();
  await expect(dialog.getByLabel("Skillset")).toBeVisible();
  // the form stays open with what was typed
  await expect(dialog.getByLabel("Name")).toHaveValue("Helper");
  expect(errors).toEqual([]);
});
