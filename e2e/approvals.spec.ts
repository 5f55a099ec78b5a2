import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { userWithToken } from "./fixtures/accounts";
import { freePort, ownServer } from "./fixtures/own-server";
import {
  listEvents,
  modelRequests,
  scriptedBot,
  scriptLlm,
  startReceiver,
  waitForEvents,
  waitingApprovals,
  type Approval,
} from "./fixtures/pipeline";
import { createTrigger, expectError, json } from "./fixtures/resources";
import { apiAs, signUpInBrowser } from "./fixtures/ui";

// A bot that asks before it acts: per-trigger abilities, read and write effects, approvals.

/** A skillset with a read ability (GET lookup) and a write one (POST refund), both at `url`. */
async function shop(api: APIRequestContext, url: string) {
  const { id: skillsetId } = await json(
    await api.post("/api/v1/skillset/create", { data: { name: "Shop" } }),
  );
  const make = async (data: Record<string, unknown>) =>
    json(await api.post(`/api/v1/skillset/${skillsetId}/ability/create`, { data }));
  const lookup = await make({
    name: "lookup",
    kind: "http_request",
    config: { method: "GET", url: `${url}/orders/{{input.id}}` },
  });
  const refund = await make({
    name: "refund",
    kind: "http_request",
    config: { method: "POST", url: `${url}/refunds`, body: '{"order":"{{input.id}}"}' },
  });
  return { skillsetId, lookupId: lookup.id as string, refundId: refund.id as string };
}

const send = (api: APIRequestContext, base: string, triggerId: string, text: string) =>
  api.post(`${base}/v1/integration/trigger/${triggerId}/event`, { data: { text } });

test("abilities carry an effect; a trigger offering read abilities never shows the model a write tool", async ({
  request,
}) => {
  const receiver = await startReceiver();
  try {
    const { api } = await userWithToken();
    const { skillsetId, lookupId, refundId } = await shop(api, receiver.url);
    const abilities = await json(await api.get(`/api/v1/skillset/${skillsetId}/ability/list`));
    expect(
      Object.fromEntries(
        abilities.items.map((a: { name: string; effect: string }) => [a.name, a.effect]),
      ),
    ).toEqual({ lookup: "read", refund: "write" });
    // the owner can say otherwise
    await json(
      await api.post(`/api/v1/skillset/${skillsetId}/ability/${lookupId}/update`, {
        data: { effect: "write" },
      }),
    );
    expect(
      (await json(await api.get(`/api/v1/skillset/${skillsetId}/ability/${lookupId}/fetch`)))
        .effect,
    ).toBe("write");
    await json(
      await api.post(`/api/v1/skillset/${skillsetId}/ability/${lookupId}/update`, {
        data: { effect: "read" },
      }),
    );
    const { botId, scenario } = await scriptedBot(api, "readonly", [{ text: "looked" }], {
      skillsetId,
    });
    const t = await createTrigger(api, { botId, authenticate: false, abilities: "read" });
    expect((await json(await api.get(`/api/v1/integration/trigger/${t.id}/fetch`))).abilities).toBe(
      "read",
    );
    expect((await send(request, "", t.id, "refund 1")).status()).toBe(202);
    await waitForEvents(api, t.id, 1);
    const [sent] = await modelRequests(scenario);
    expect(sent.tools.map((x) => x.function.name)).toEqual(["lookup"]);
    // a list of ids offers exactly those; an id that is not the owner's is refused
    await json(
      await api.post(`/api/v1/integration/trigger/${t.id}/update`, {
        data: { abilities: [refundId] },
      }),
    );
    expect((await send(request, "", t.id, "again")).status()).toBe(202);
    await waitForEvents(api, t.id, 2);
    const second = (await modelRequests(scenario)).at(-1)!;
    expect(second.tools.map((x) => x.function.name)).toEqual(["refund"]);
    await expectError(
      await api.post(`/api/v1/integration/trigger/${t.id}/update`, {
        data: { abilities: ["ability_01ARZ3NDEKTSV4RRFFQ69G5FAV"] },
      }),
      422,
      "VALIDATION_ERROR",
    );
  } finally {
    await receiver.close();
  }
});

test("approval 'write': nothing reaches the receiver until approved, then exactly one request with the approval's Idempotency-Key; a denial reaches the model and the run completes", async ({
  request,
}) => {
  const receiver = await startReceiver();
  try {
    const { api } = await userWithToken();
    const { skillsetId } = await shop(api, receiver.url);
    const { botId, scenario } = await scriptedBot(
      api,
      "held",
      [{ tool: "refund", args: { id: "42" }, perTurn: true, then: "Done." }],
      { skillsetId },
    );
    const t = await createTrigger(api, { botId, authenticate: false, approval: "write" });
    expect((await send(request, "", t.id, "refund order 42")).status()).toBe(202);
    const [held] = await waitingApprovals(api, t.id);
    expect(held).toMatchObject({ tool: "refund", input: { id: "42" }, status: "pending" });
    expect((await listEvents(api, t.id))[0].status).toBe("waiting");
    // nothing left the server, and nothing will while it waits
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.requests).toHaveLength(0);
    expect((await json(await api.get("/api/v1/approval/count"))).pending).toBeGreaterThanOrEqual(1);

    const path = `/api/v1/integration/trigger/${t.id}/event/${held.eventId}/approval`;
    const approved = await json(
      await api.post(path, { data: { decision: "approve", note: "ok" } }),
    );
    expect(approved).toMatchObject({
      status: "approved",
      note: "ok",
      decidedBy: { email: expect.any(String) },
    });
    await expectError(await api.post(path, { data: { decision: "deny" } }), 409, "CONFLICT");
    const [done] = await waitForEvents(api, t.id, 1);
    expect(done.status).toBe("completed");
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0].headers["idempotency-key"]).toBe(held.id);
    const detail = await json(
      await api.get(`/api/v1/integration/trigger/${t.id}/event/${held.eventId}/fetch`),
    );
    expect(detail.approvals).toEqual([
      expect.objectContaining({ id: held.id, status: "approved", note: "ok" }),
    ]);
    expect(detail.steps.map((s: { meta: { step: string } }) => s.meta.step)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^approval:/),
        expect.stringMatching(/^decision:/),
        "reply",
      ]),
    );

    // the same again, denied: the model reads the denial and answers
    await scriptLlm(scenario, [
      { tool: "refund", args: { id: "43" }, perTurn: true, then: "Not refunded." },
    ]);
    expect((await send(request, "", t.id, "refund order 43")).status()).toBe(202);
    const [second] = (await waitingApprovals(api, t.id)).filter((a) => a.input.id === "43");
    await json(
      await api.post(`/api/v1/integration/trigger/${t.id}/event/${second.eventId}/approval`, {
        data: { decision: "deny", note: "needs a ticket" },
      }),
    );
    const events = await waitForEvents(api, t.id, 2);
    expect(events.every((e) => e.status === "completed")).toBe(true);
    expect(receiver.requests).toHaveLength(1);
    const last = (await modelRequests(scenario)).at(-1)!;
    const tool = JSON.stringify(last.messages.filter((m) => m.role === "tool"));
    expect(tool).toContain("denied by");
    expect(tool).toContain("needs a ticket");
  } finally {
    await receiver.close();
  }
});

test("a waiting event survives kill -9 and completes once after approval on the restarted server; with two servers on one PostgreSQL, one approval makes one request", async () => {
  test.setTimeout(120_000);
  const receiver = await startReceiver();
  const first = await ownServer(await freePort(), {
    env: { ABILITY_HTTP_ALLOW_HOSTS: "127.0.0.1" },
  });
  let second: Awaited<ReturnType<typeof ownServer>> | null = null;
  try {
    await first.start();
    const { api } = await userWithToken(first.base);
    const { skillsetId } = await shop(api, receiver.url);
    const { botId } = await scriptedBot(
      api,
      "survive",
      [{ tool: "refund", args: { id: "7" }, perTurn: true, then: "Refunded 7." }],
      { skillsetId },
    );
    const t = await createTrigger(api, { botId, authenticate: false, approval: "write" });
    expect((await send(api, first.base, t.id, "refund 7")).status()).toBe(202);
    const [held] = await waitingApprovals(api, t.id);
    await first.kill9();
    await first.start();
    if (process.env.DATABASE_URL) {
      // a second server on the same database races the first for the resumed run
      second = await ownServer(await freePort(), {
        databaseUrl: first.databaseUrl,
        env: { ABILITY_HTTP_ALLOW_HOSTS: "127.0.0.1" },
      });
      await second.start();
    }
    expect(receiver.requests).toHaveLength(0);
    await json(
      await api.post(
        `${first.base}/api/v1/integration/trigger/${t.id}/event/${held.eventId}/approval`,
        { data: { decision: "approve" } },
      ),
    );
    await expect
      .poll(
        async () =>
          (await json(await api.get(`${first.base}/api/v1/integration/trigger/${t.id}/event/list`)))
            .items[0].status,
        { timeout: 30_000 },
      )
      .toBe("completed");
    // give a second runner every chance to repeat it
    await new Promise((r) => setTimeout(r, 2000));
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0].headers["idempotency-key"]).toBe(held.id);
  } finally {
    await second?.stop();
    await first.stop();
    await receiver.close();
  }
});

async function noSidewaysScroll(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
}

test("the approvals page: a waiting call with its event, approve or deny with a note, a count in the navigation; at desktop and 390 px", async ({
  page,
}) => {
  const receiver = await startReceiver();
  try {
    const email = await signUpInBrowser(page);
    const { id: skillsetId } = await apiAs(page, "/api/v1/skillset/create", { name: "Shop" });
    await apiAs(page, `/api/v1/skillset/${skillsetId}/ability/create`, {
      name: "refund",
      kind: "http_request",
      config: { method: "POST", url: `${receiver.url}/refunds`, body: '{"o":"{{input.id}}"}' },
    });
    const scenario = `ui-held-${Date.now().toString(36)}`;
    await scriptLlm(scenario, [
      { tool: "refund", args: { id: "5" }, perTurn: true, then: "Handled." },
    ]);
    const { id: botId } = await apiAs(page, "/api/v1/bot/create", {
      name: "Refund bot",
      model: "openai/stub",
      backstory: `[scenario:${scenario}]`,
      skillsetId,
    });
    const trigger = await apiAs(page, "/api/v1/integration/trigger/create", {
      botId,
      name: "Refund requests",
      authenticate: false,
      approval: "write",
    });
    for (const text of ["refund order 5", "refund order 6"])
      expect(
        (
          await page.request.post(`/v1/integration/trigger/${trigger.id}/event`, {
            data: { text, order: text.slice(-1) },
          })
        ).status(),
      ).toBe(202);

    await page.goto("/approvals");
    await expect(page.getByRole("heading", { name: "Approvals", level: 1 })).toBeVisible();
    const cards = page.getByRole("article", { name: "Call of refund" });
    await expect(cards).toHaveCount(2, { timeout: 20_000 });
    await expect(page.getByRole("link", { name: /Approvals\s*2/ })).toBeVisible();
    const first = cards.first();
    await expect(first).toContainText('"id": "5"');
    await expect(first).toContainText("application/json");
    const axe = await new AxeBuilder({ page }).analyze();
    expect(
      axe.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map(
          (v) =>
            `${v.id}: ${v.nodes
              .map((n) => n.target.join(" "))
              .slice(0, 3)
              .join(", ")}`,
        ),
    ).toEqual([]);
    await first.getByLabel("Note for refund (optional)").fill("customer called");
    await first.getByRole("button", { name: "Approve refund" }).click();
    await expect(cards).toHaveCount(1);
    await page.getByRole("tab", { name: "All" }).click();
    await expect(page).toHaveURL(/status=all/);
    await expect(
      page.getByTestId("approval-decision").filter({ hasText: `Approved by ${email}` }),
    ).toContainText("customer called");
    await expect.poll(() => receiver.requests.length, { timeout: 20_000 }).toBe(1);

    // phone width: the menu names the page, the last call is denied from there
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/triggers");
    await page.getByRole("button", { name: "Open navigation" }).click();
    await page.getByRole("menuitem", { name: /Approvals/ }).click();
    await expect(page).toHaveURL(/\/approvals$/);
    await expect(cards).toHaveCount(1);
    await noSidewaysScroll(page);
    await cards.first().getByRole("button", { name: "Deny refund" }).click();
    await expect(page.getByText("Nothing waits for a decision")).toBeVisible();
    await noSidewaysScroll(page);
    expect(receiver.requests).toHaveLength(1);

    // the event inspector shows the request and the decision
    const { items } = await apiAs(page, `/api/v1/integration/trigger/${trigger.id}/approval/list`);
    const denied = items.find((a: Approval) => a.status === "denied");
    await page.goto(`/triggers/${trigger.id}/events/${denied.eventId}`);
    await expect(page.getByTestId("approval-decision")).toContainText(`Denied by ${email}`);
    await expect(page.getByRole("list", { name: "Run timeline" })).toContainText("Finished");
  } finally {
    await receiver.close();
  }
});
