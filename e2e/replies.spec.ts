import http from "node:http";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { userWithToken } from "./fixtures/accounts";
import { freePort, ownServer } from "./fixtures/own-server";
import {
  contentText,
  listEvents,
  messagesOf,
  modelRequests,
  providerRequests,
  scriptedBot,
  waitForEvents,
} from "./fixtures/pipeline";
import { createTrigger, json } from "./fixtures/resources";
import { apiAs, choose, signUpInBrowser } from "./fixtures/ui";

// Replies go back where the event came from (Slack and GitHub stand-ins behind SLACK_API_URL and
// GITHUB_API_URL, a callback receiver here), and notifications tell an endpoint what happened.

/** A receiver that answers the statuses given in turn (the last one repeats), keeping each request. */
async function scriptedReceiver(statuses: number[]) {
  const requests: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    res.writeHead(statuses[Math.min(requests.length - 1, statuses.length - 1)]);
    res.end("{}");
  });
  // idle connections kept longer than a client's, so none is reused as the server closes it
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

const send = (api: APIRequestContext, triggerId: string, data: unknown, base = "") =>
  api.post(`${base}/v1/integration/trigger/${triggerId}/event`, { data: data as never });

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("a Slack event's reply is posted once into its thread, with the stored token", async ({
  request,
}) => {
  const { api } = await userWithToken();
  const { botId } = await scriptedBot(api, "slackreply", [{ text: "Looking into it now." }]);
  const channel = `C${Date.now().toString(36).toUpperCase()}`;
  const t = await createTrigger(api, {
    botId,
    authenticate: false,
    reply: { type: "slack", token: "xoxb-test-token" },
  });
  const record = await json(await api.get(`/api/v1/integration/trigger/${t.id}/fetch`));
  expect(record.reply).toEqual({ type: "slack", tokenSet: true, secretSet: false });
  expect(JSON.stringify(record)).not.toContain("xoxb-test-token");

  const payload = {
    type: "event_callback",
    event_id: `Ev${channel}`,
    event: { type: "app_mention", channel, ts: "1733300000.000100", text: "help please" },
  };
  expect((await send(request, t.id, payload)).status()).toBe(202);
  const [event] = await waitForEvents(api, t.id, 1);
  let posts: Awaited<ReturnType<typeof providerRequests>> = [];
  await expect
    .poll(async () => {
      posts = (await providerRequests()).filter((r) => r.body.includes(channel));
      return posts.length;
    })
    .toBe(1);
  expect(posts[0].path).toBe("/slack/api/chat.postMessage");
  expect(posts[0].headers.authorization).toBe("Bearer xoxb-test-token");
  expect(JSON.parse(posts[0].body)).toEqual({
    channel,
    thread_ts: "1733300000.000100",
    text: "Looking into it now.",
  });
  await wait(1500);
  expect((await providerRequests()).filter((r) => r.body.includes(channel))).toHaveLength(1);
  const notes = (await messagesOf(api, event.conversationId!)).filter(
    (m) => m.meta.step === "delivery",
  );
  expect(notes.map((n) => n.text)).toEqual(["Reply delivered to Slack (HTTP 200)"]);
});

test("a GitHub issues.opened event's reply becomes one comment at the issue's comments URL", async ({
  request,
}) => {
  const { api } = await userWithToken();
  const { botId } = await scriptedBot(api, "ghreply", [{ text: "Thanks, triaged as a bug." }]);
  const repo = `acme/shop-${Date.now().toString(36)}`;
  const t = await createTrigger(api, {
    botId,
    authenticate: false,
    reply: { type: "github", token: "ghp_testtoken" },
  });
  const payload = {
    action: "opened",
    issue: { number: 42, title: "Checkout breaks", html_url: "https://evil.example/steal" },
    repository: { full_name: repo },
  };
  await send(request, t.id, payload, "");
  await waitForEvents(api, t.id, 1);
  let posts: Awaited<ReturnType<typeof providerRequests>> = [];
  await expect
    .poll(async () => {
      posts = (await providerRequests()).filter((r) => r.path.includes(repo));
      return posts.length;
    })
    .toBe(1);
  expect(posts[0].path).toBe(`/github/repos/${repo}/issues/42/comments`);
  expect(posts[0].headers.authorization).toBe("Bearer ghp_testtoken");
  expect(JSON.parse(posts[0].body)).toEqual({ body: "Thanks, triaged as a bug." });
  // a slack target without a token is refused when saved
  const missing = await api.post(`/api/v1/integration/trigger/${t.id}/update`, {
    data: { reply: { type: "slack" } },
  });
  expect(missing.status()).toBe(422);
});

test("a callback to the event's response_url is signed with the trigger's reply secret (Standard Webhooks); an unauthenticated sender's response_url elsewhere than Slack is not believed", async ({
  request,
}) => {
  const receiver = await scriptedReceiver([200]);
  try {
    const { api } = await userWithToken();
    const { botId } = await scriptedBot(api, "callback", [{ text: "Done: order 9 refunded." }]);
    const created = await json(
      await api.post("/api/v1/integration/trigger/create", {
        data: { botId, reply: { type: "callback" } },
      }),
    );
    expect(created.replySecret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    // a slash command from an authenticated sender: a form post with response_url
    const sent = await request.post(`/v1/integration/trigger/${created.id}/event`, {
      headers: { authorization: `Bearer ${created.secret}` },
      form: { command: "/refund", text: "order 9", channel_id: "C1", response_url: receiver.url },
    });
    expect(sent.status()).toBe(202);
    const [event] = await waitForEvents(api, created.id, 1);
    await expect.poll(() => receiver.requests.length).toBe(1);
    const { headers, body } = receiver.requests[0];
    const verified = new Webhook(created.replySecret).verify(body, {
      "webhook-id": String(headers["webhook-id"]),
      "webhook-timestamp": String(headers["webhook-timestamp"]),
      "webhook-signature": String(headers["webhook-signature"]),
    });
    expect(verified).toMatchObject({
      eventId: event.id,
      conversationId: event.conversationId,
      reply: "Done: order 9 refunded.",
      status: "completed",
    });
    // the rotated secret signs from now on; the old one no longer verifies
    const rotated = await json(
      await api.post(`/api/v1/integration/trigger/${created.id}/reply/secret/rotate`, { data: {} }),
    );
    expect(rotated.replySecret).not.toBe(created.replySecret);

    // anyone may post to a trigger that does not authenticate: its reply is not sent where they say
    const open = await json(
      await api.post("/api/v1/integration/trigger/create", {
        data: { botId, authenticate: false, reply: { type: "callback" } },
      }),
    );
    await request.post(`/v1/integration/trigger/${open.id}/event`, {
      form: { command: "/refund", text: "order 9", response_url: receiver.url },
    });
    const [stranger] = await waitForEvents(api, open.id, 1);
    await expect
      .poll(async () => {
        const list = await json(
          await api.get(`/api/v1/conversation/${stranger.conversationId}/message/list?take=20`),
        );
        return list.items.map((m: { text: string }) => m.text).join("\n");
      })
      .toContain(
        "Reply to the callback failed after 1 attempt: The event's response_url is not used",
      );
    expect(receiver.requests).toHaveLength(1);
  } finally {
    await receiver.close();
  }
});

test("a failed run notifies an endpoint that answers 500 twice and then 200: three attempts, delivered once, each signed", async ({
  request,
}) => {
  const receiver = await scriptedReceiver([500, 500, 200]);
  const budgets = await scriptedReceiver([200]);
  try {
    const { api } = await userWithToken();
    const endpoint = await json(
      await api.post("/api/v1/notification/endpoint/create", {
        data: { url: receiver.url, events: ["event.failed"] },
      }),
    );
    await json(
      await api.post("/api/v1/notification/endpoint/create", {
        data: { url: budgets.url, events: ["budget.exceeded"] },
      }),
    );
    expect(endpoint.secret).toMatch(/^whsec_/);
    // a budget of 10 tokens: the first run (15 tokens) spends it, the second is refused for good
    const { botId } = await scriptedBot(api, "notify", [{ text: "ok" }]);
    const t = await createTrigger(api, { botId, authenticate: false, monthlyTokenBudget: 10 });
    await send(request, t.id, { text: "first" });
    await waitForEvents(api, t.id, 1);
    await send(request, t.id, { text: "second" });
    await expect
      .poll(async () => (await listEvents(api, t.id)).map((e) => e.status).sort())
      .toEqual(["completed", "failed"]);
    const verify = (r: { headers: http.IncomingHttpHeaders; body: string }) =>
      new Webhook(endpoint.secret).verify(r.body, {
        "webhook-id": String(r.headers["webhook-id"]),
        "webhook-timestamp": String(r.headers["webhook-timestamp"]),
        "webhook-signature": String(r.headers["webhook-signature"]),
      }) as { type: string; data: Record<string, unknown> };
    const failedOnes = () => receiver.requests;
    await expect.poll(() => failedOnes().length, { timeout: 30_000 }).toBe(3);
    expect(new Set(failedOnes().map((r) => r.headers["webhook-id"])).size).toBe(1);
    expect(verify(failedOnes()[0]).data).toMatchObject({
      triggerId: t.id,
      error: expect.stringContaining("monthly token budget"),
    });
    const deliveries = (
      await json(await api.get(`/api/v1/notification/endpoint/${endpoint.id}/delivery/list`))
    ).items as { type: string; status: string; attempts: number; lastStatus: number }[];
    expect(deliveries.find((d) => d.type === "event.failed")).toMatchObject({
      status: "delivered",
      attempts: 3,
      lastStatus: 200,
    });
    // the run that spent the budget said so too, to the endpoint that asked for it
    await expect.poll(() => budgets.requests.length).toBe(1);
    expect(JSON.parse(budgets.requests[0].body)).toMatchObject({
      type: "budget.exceeded",
      data: { triggerId: t.id, monthlyTokenBudget: 10 },
    });
    await wait(2000);
    expect(failedOnes()).toHaveLength(3);
  } finally {
    await receiver.close();
    await budgets.close();
  }
});

test("a paused trigger stores and holds its events, runs none, and runs them in order on resume; autoPause fires after repeated failures", async ({
  request,
}) => {
  const { api } = await userWithToken();
  const { botId, scenario } = await scriptedBot(api, "pause", [{ text: "ok" }]);
  const t = await createTrigger(api, { botId, authenticate: false });
  const paused = await json(
    await api.post(`/api/v1/integration/trigger/${t.id}/pause`, { data: {} }),
  );
  expect(paused).toEqual({ id: t.id, paused: true });
  for (const text of ["one", "two", "three"])
    expect(
      (
        await request.post(`/v1/integration/trigger/${t.id}/event?session=p`, {
          data: { text },
        })
      ).status(),
    ).toBe(202);
  await wait(2500);
  expect((await listEvents(api, t.id)).map((e) => e.status)).toEqual([
    "queued",
    "queued",
    "queued",
  ]);
  expect(await modelRequests(scenario)).toHaveLength(0);
  const record = await json(await api.get(`/api/v1/integration/trigger/${t.id}/fetch`));
  expect(record).toMatchObject({ pausedAt: expect.any(String), pausedReason: "Paused by hand" });

  const resumed = await json(
    await api.post(`/api/v1/integration/trigger/${t.id}/resume`, { data: {} }),
  );
  expect(resumed).toMatchObject({ paused: false, held: 3 });
  await waitForEvents(api, t.id, 3);
  const order = (await modelRequests(scenario)).map((r) =>
    contentText(r.messages.filter((m) => m.role === "user").at(-1)?.content).slice(0, 5),
  );
  expect(order).toEqual(["one\n\n", "two\n\n", "three"]);

  // autoPause: two failed runs within ten minutes pause the trigger, and it says why
  const receiver = await scriptedReceiver([200]);
  try {
    await json(
      await api.post("/api/v1/notification/endpoint/create", {
        data: { url: receiver.url, events: ["trigger.paused"] },
      }),
    );
    const { botId: failing } = await scriptedBot(api, "autopause", [{ text: "ok" }]);
    const auto = await createTrigger(api, {
      botId: failing,
      authenticate: false,
      monthlyTokenBudget: 1,
      autoPause: { failures: 2, window: 600_000 },
    });
    await send(request, auto.id, { text: "spends the budget" });
    await waitForEvents(api, auto.id, 1);
    await send(request, auto.id, { text: "fails" });
    await send(request, auto.id, { text: "fails too" });
    await expect
      .poll(
        async () =>
          (await json(await api.get(`/api/v1/integration/trigger/${auto.id}/fetch`))).pausedAt,
      )
      .not.toBeNull();
    const state = await json(await api.get(`/api/v1/integration/trigger/${auto.id}/fetch`));
    expect(state.pausedReason).toContain("Paused itself: 2 runs failed");
    await expect.poll(() => receiver.requests.length).toBe(1);
    expect(JSON.parse(receiver.requests[0].body)).toMatchObject({
      type: "trigger.paused",
      data: { triggerId: auto.id },
    });
    // what arrives now is stored and held
    await send(request, auto.id, { text: "held" });
    await wait(1500);
    expect((await listEvents(api, auto.id)).filter((e) => e.status === "queued")).toHaveLength(1);
  } finally {
    await receiver.close();
  }
});

test("a run retried after a crash posts its reply once", async () => {
  // a short lease: the restarted server takes the dead run over after 5 s, not 30
  const server = await ownServer(await freePort(), { env: { EVENT_LEASE_MS: "5000" } });
  try {
    await server.start();
    const { api } = await userWithToken(server.base);
    const channel = `CRASH${Date.now().toString(36).toUpperCase()}`;
    // the model takes 3 s: the server is killed while it thinks
    const { botId } = await scriptedBot(api, "crashreply", [
      { text: "after the crash", delayMs: 3000 },
    ]);
    const t = await createTrigger(api, {
      botId,
      authenticate: false,
      reply: { type: "slack", token: "xoxb-crash" },
    });
    await send(api, t.id, { event: { channel, ts: "1.0", text: "hi" } }, server.base);
    await expect.poll(async () => (await listEvents(api, t.id))[0]?.status).toBe("processing");
    await server.kill9();
    await server.start();
    await waitForEvents(api, t.id, 1, 60_000);
    await expect
      .poll(async () => (await providerRequests()).filter((r) => r.body.includes(channel)).length)
      .toBe(1);
    await wait(2000);
    expect((await providerRequests()).filter((r) => r.body.includes(channel))).toHaveLength(1);
  } finally {
    await server.stop();
  }
});

test("the dashboard: a notification endpoint with its secret shown once and its deliveries; a reply target in the settings; pause and resume with a confirmation", async ({
  page,
}) => {
  await signUpInBrowser(page);
  const receiver = await scriptedReceiver([200]);
  try {
    await page.getByRole("link", { name: "Notifications" }).first().click();
    await expect(page.getByText("No notification endpoints")).toBeVisible();
    await page.getByRole("button", { name: "New endpoint" }).first().click();
    await page.getByLabel("URL").fill(receiver.url);
    await page.getByRole("checkbox", { name: /A trigger was paused/ }).check();
    await page.getByRole("button", { name: "Create endpoint" }).click();
    const secret = (await page.getByTestId("revealed-signing-secret").textContent()) ?? "";
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole("button", { name: "I have stored the signing secret" }).click();
    await expect(page.getByText(receiver.url)).toBeVisible();

    const { id: botId } = await apiAs(page, "/api/v1/bot/create", { name: "Reply bot" });
    const trigger = await apiAs(page, "/api/v1/integration/trigger/create", {
      botId,
      name: "Slack mentions",
      authenticate: false,
    });
    await page.goto(`/triggers/${trigger.id}?tab=settings`);
    await choose(page, "Deliver the reply to", /Slack/);
    await page.getByLabel("Slack bot token").fill("xoxb-from-the-form");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByText("Trigger saved")).toBeVisible();
    const saved = await apiAs(page, `/api/v1/integration/trigger/${trigger.id}/fetch`);
    expect(saved.reply).toEqual({ type: "slack", tokenSet: true, secretSet: false });
    expect(await page.content()).not.toContain("xoxb-from-the-form");

    await page.getByRole("button", { name: "Pause trigger" }).click();
    await page.getByRole("button", { name: "Pause", exact: true }).click();
    await expect(page.getByText("Paused", { exact: true }).first()).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: "none runs until" })).toBeVisible();
    await expect.poll(() => receiver.requests.length).toBe(1);
    await page.getByRole("button", { name: "Resume trigger" }).click();
    await page.getByRole("button", { name: "Resume", exact: true }).click();
    await expect(page.getByRole("button", { name: "Pause trigger" })).toBeVisible();

    await page.goto("/notifications");
    await page.getByRole("button", { name: "Deliveries" }).click();
    const deliveries = page.getByRole("list", { name: "Deliveries" });
    await expect(deliveries.getByRole("listitem")).toHaveCount(1);
    await expect(deliveries).toContainText("trigger.paused");
    await expect(deliveries).toContainText("delivered");
  } finally {
    await receiver.close();
  }
});
