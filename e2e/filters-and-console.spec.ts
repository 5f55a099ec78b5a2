import { createHmac, randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { userWithToken } from "./fixtures/accounts";
import { deliver, listEvents, scenarioName, scriptLlm } from "./fixtures/pipeline";
import { createBot, createTrigger, expectError, json } from "./fixtures/resources";
import { signUpInBrowser } from "./fixtures/ui";

const hmac = (alg: string, secret: string, data: string) => createHmac(alg, secret).update(data);

const STRIPE_SECRET = "whsec_test_stripe_signing_secret_0001";

test.describe("filters", () => {
  test("a CEL filter lets matching events reach the bot; the rest are stored as filtered with no model call", async ({
    request,
  }) => {
    const { api } = await userWithToken();
    const scenario = scenarioName("filter");
    await scriptLlm(scenario, [{ text: "triaged" }]);
    const botId = await createBot(api, {
      model: "openai/stub",
      backstory: `[scenario:${scenario}]`,
    });
    const invalid = await expectError(
      await api.post("/api/v1/integration/trigger/create", {
        data: { botId, filter: 'headers["x-github-event"] == ' },
      }),
      422,
      "VALIDATION_ERROR",
    );
    expect(invalid.issues?.[0]).toMatchObject({ path: "filter" });
    expect(invalid.issues?.[0].message).toMatch(/^line 1, column \d+: /);
    await expectError(
      await api.post("/api/v1/integration/trigger/create", {
        data: { botId, filter: 'payload.name.matches("^(a+)+$")' },
      }),
      422,
      "VALIDATION_ERROR",
    );
    // quadratic in a payload's lists (minutes on a 1 MiB body): refused when saved
    await expectError(
      await api.post("/api/v1/integration/trigger/create", {
        data: { botId, filter: "payload.a.exists(x, payload.a.exists(y, y == x))" },
      }),
      422,
      "VALIDATION_ERROR",
    );
    const t = await createTrigger(api, {
      botId,
      verification: { type: "github" },
      filter: 'headers["x-github-event"] == "issues" && payload.action in ["opened", "reopened"]',
    });
    const send = (event: string, payload: unknown) => {
      const body = JSON.stringify(payload);
      return deliver(request, t.id, body, {
        "x-github-event": event,
        "x-github-delivery": randomUUID(),
        "x-hub-signature-256": `sha256=${hmac("sha256", t.secret, body).digest("hex")}`,
      });
    };
    expect(await send("issues", { action: "opened", issue: { number: 7 } })).toMatchObject({
      status: 202,
      body: { status: "queued" },
    });
    expect(await send("issues", { action: "closed" })).toMatchObject({
      status: 202,
      body: { status: "filtered" },
    });
    expect(await send("push", { ref: "main" })).toMatchObject({ body: { status: "filtered" } });
    let rows: Awaited<ReturnType<typeof listEvents>> = [];
    await expect
      .poll(async () => {
        rows = await listEvents(api, t.id);
        return rows.map((e) => e.status).sort();
      })
      .toEqual(["completed", "filtered", "filtered"]);
    const calls = await (
      await fetch(`http://127.0.0.1:${process.env.E2E_LLM_PORT}/__calls/${scenario}`)
    ).json();
    expect(calls.calls).toBe(1);
    expect(
      rows.filter((e) => e.status === "filtered").every((e) => e.conversationId === null),
    ).toBe(true);
    // how a filter would decide on those events, before saving it
    const preview = await json(
      await api.post(`/api/v1/integration/trigger/${t.id}/filter/preview`, {
        data: { filter: 'headers["x-github-event"] == "issues"' },
      }),
    );
    expect(preview).toMatchObject({ valid: true, matched: 2, total: 3 });
    // a filter that fails on an event's data marks that event failed with the reason
    await json(
      await api.post(`/api/v1/integration/trigger/${t.id}/update`, {
        data: { filter: "payload.issue.number > 5.0" },
      }),
    );
    const broken = await send("issues", { action: "opened" });
    expect(broken).toMatchObject({ status: 202, body: { status: "failed" } });
    const failed = (await listEvents(api, t.id)).find((e) => e.id === broken.body.id)!;
    expect(failed.error).toContain("Filter:");
  });
});

test("the test console signs as the chosen provider and shows the answer; the filter editor counts matches as you type", async ({
  page,
}) => {
  await signUpInBrowser(page);
  const origin = new URL(page.url()).origin;
  const post = async (path: string, data: unknown) => {
    const res = await page.request.post(path, { data, headers: { origin } });
    expect(res.ok(), await res.text()).toBe(true);
    return res.json();
  };
  const { id: botId } = await post("/api/v1/bot/create", { name: "Payments bot" });
  const { id } = await post("/api/v1/integration/trigger/create", {
    botId,
    name: "Stripe payments",
    verification: { type: "stripe", secret: STRIPE_SECRET },
  });
  await page.goto(`/triggers/${id}`);
  await page.getByRole("tab", { name: "Settings" }).click();
  await expect(page.getByRole("combobox", { name: "Sender" })).toContainText("Stripe");
  await expect(page.getByRole("list", { name: "Setup steps" })).toContainText("signing secret");
  await expect(page.getByLabel("Signing secret from the sender")).toHaveAttribute(
    "placeholder",
    /A signing secret is set/,
  );
  await page
    .getByLabel("Test payload (JSON)")
    .fill('{"id":"evt_console_1","type":"charge.succeeded"}');
  await page.getByRole("button", { name: "Send test event" }).click();
  const result = page.getByTestId("test-event-result");
  await expect(result).toContainText("202");
  await expect(result).toContainText('"status": "queued"');
  // not a signing oracle: verification's result and a curl with a placeholder, no signature
  await expect(result.getByTestId("test-event-verification")).toContainText(
    "signed with the stored secret: verified",
  );
  await result.getByText(/The same request with curl/).click();
  await expect(result).toContainText("stripe-signature: <signature made with the secret>");
  await expect(result).not.toContainText("v1=");
  // the same delivery again is Stripe's retry: one event
  await page.getByRole("button", { name: "Send test event" }).click();
  await expect(result).toContainText("200");
  await expect(result).toContainText('"duplicate": true');
  await page.getByLabel("Test payload (JSON)").fill('{"id":"evt_console_2","type":"invoice.paid"}');
  await page.getByRole("button", { name: "Send test event" }).click();
  await expect(result).toContainText("202");

  await page.getByLabel("Filter (optional)").fill('payload.type == "charge.succeeded"');
  await expect(page.getByText("Matches 1 of the last 2 events")).toBeVisible();
  await page.getByLabel("Filter (optional)").fill("payload.type ==");
  await expect(page.getByText(/^Line 1, column \d+:/)).toBeVisible();
});
