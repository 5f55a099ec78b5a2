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

test("forms check with the route's own schema before sending: errors at their fields, nothing sent until they pass", async ({
  page,
}) => {
  const errors = watchConsole(page);
  await signUpInBrowser(page);
  const { id: skillsetId } = await apiAs(page, "/api/v1/skillset/create", { name: "Tools" });
  const writes: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST" && /\/(create|update)$/.test(new URL(r.url()).pathname))
      writes.push(new URL(r.url()).pathname);
  });

  await page.goto("/skillsets");
  await page.getByRole("button", { name: "Add ability" }).click();
  await page.getByLabel("Ability name").fill("look up order");
  await page.getByLabel("URL").fill("https://api.example.com/orders");
  await page.getByLabel(/^Headers/).fill("Authorization Bearer x");
  await page.getByLabel("Timeout (ms)").fill("50");
  await page.getByRole("button", { name: "Save ability" }).click();
  // the header line is read first; the schema's own messages follow once it parses
  await expect(page.getByText('"Authorization Bearer x" is not "Name: value"')).toBeVisible();
  await page.getByLabel(/^Headers/).fill("Authorization: Bearer x");
  await page.getByRole("button", { name: "Save ability" }).click();
  await expect(page.getByText("must be 1-64 letters, digits, _ or -")).toBeVisible();
  await expect(page.getByLabel("Ability name")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Timeout (ms)")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Input schema (JSON Schema, optional)").fill("{not json");
  await page.getByRole("button", { name: "Save ability" }).click();
  await expect(page.getByText(/^Not JSON:/)).toBeVisible();
  expect(writes).toEqual([]);

  await page.getByLabel("Ability name").fill("lookup_order");
  await page.getByLabel("Timeout (ms)").fill("5000");
  await page.getByLabel("Input schema (JSON Schema, optional)").fill("");
  await page.getByRole("button", { name: "Save ability" }).click();
  await expect(page.getByText("lookup_order", { exact: true })).toBeVisible();
  expect(writes).toEqual([`/api/v1/skillset/${skillsetId}/ability/create`]);
  const { items } = await apiAs(page, `/api/v1/skillset/${skillsetId}/ability/list`);
  expect(items[0].config).toMatchObject({ method: "POST", timeoutMs: 5000 });
  // the header arrived as a credential: stored, and shown masked
  expect(Object.keys(items[0].config.headers)).toEqual(["Authorization"]);
  expect(items[0].config.headers.Authorization).not.toBe("Bearer x");

  // the trigger form: a limit in seconds is checked against the schema's milliseconds
  await apiAs(page, "/api/v1/bot/create", { name: "Checker" });
  await page.goto("/triggers");
  await page.getByRole("button", { name: "New trigger" }).first().click();
  await choose(page, "Bot", /Checker/);
  await page.getByLabel("Time per run (seconds)").fill("0.5");
  await page.getByLabel("Model steps per run").fill("");
  await page.getByRole("button", { name: "Create trigger" }).click();
  await expect(page.getByTestId("trigger-max-time-error")).toHaveText(
    "must be at least 1 second (1000 ms)",
  );
  await expect(page.getByTestId("trigger-max-iterations-error")).toHaveText("must be a number");
  expect(writes).toHaveLength(1);
  expect(errors).toEqual([]);
});
