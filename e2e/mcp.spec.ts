import { expect, test, type APIRequestContext } from "@playwright/test";
import { userWithToken } from "./fixtures/accounts";
import { startMcpServer } from "./fixtures/mcp-server.mjs";
import {
  messagesOf,
  modelRequests,
  scriptedBot,
  scriptLlm,
  waitForEvents,
  waitingApprovals,
} from "./fixtures/pipeline";
import { createTrigger, expectError, json } from "./fixtures/resources";
import { choose, signUpInBrowser } from "./fixtures/ui";

// MCP servers as abilities: a server built on the official SDK (two tools, one read-only, one
// destructive) in the test process, reached by the app over real HTTP.

type McpServerFixture = Awaited<ReturnType<typeof startMcpServer>>;
type Tool = {
  name: string;
  effect: string;
  enabled: boolean;
  inputSchema: Record<string, unknown>;
};

async function mcpAbility(api: APIRequestContext, config: Record<string, unknown>, name = "shop") {
  const { id: skillsetId } = await json(
    await api.post("/api/v1/skillset/create", { data: { name: "Shop server" } }),
  );
  const res = await api.post(`/api/v1/skillset/${skillsetId}/ability/create`, {
    data: { name, kind: "mcp", config },
  });
  return { skillsetId, res };
}

const send = (api: APIRequestContext, triggerId: string, text: string) =>
  api.post(`/v1/integration/trigger/${triggerId}/event`, { data: { text } });

let mcp: McpServerFixture;
test.beforeAll(async () => {
  mcp = await startMcpServer();
});
test.afterAll(async () => {
  await mcp.close();
});

test("an MCP server's tools are discovered and stored; the read tool runs and is recorded; the destructive one waits for approval, then runs once", async ({
  request,
}) => {
  const { api } = await userWithToken();
  const { skillsetId, res } = await mcpAbility(api, {
    url: `${mcp.url}/mcp`,
    headers: { Authorization: "Bearer mcp-secret-token" },
  });
  const { id: abilityId } = await json(res);
  const ability = await json(
    await api.get(`/api/v1/skillset/${skillsetId}/ability/${abilityId}/fetch`),
  );
  expect(ability.kind).toBe("mcp");
  expect(ability.config.headers.Authorization).not.toContain("mcp-secret-token");
  expect(ability.toolsDiscoveredAt).toEqual(expect.any(String));
  const byName = Object.fromEntries(ability.tools.map((t: Tool) => [t.name, t]));
  expect(byName.lookup_order).toMatchObject({
    effect: "read",
    enabled: true,
    description: "Look up an order by its id",
    inputSchema: { type: "object", required: ["orderId"] },
  });
  expect(byName.cancel_order).toMatchObject({ effect: "write", enabled: true });
  expect(ability.effect).toBe("write");
  // the server was asked with the credential, and only it knows it
  expect(mcp.requests.some((r) => r.headers.authorization === "Bearer mcp-secret-token")).toBe(
    true,
  );

  const { botId, scenario } = await scriptedBot(
    api,
    "mcp",
    [{ tool: "shop_lookup_order", args: { orderId: "42" } }, { text: "Order 42 is paid." }],
    { skillsetId },
  );
  const t = await createTrigger(api, { botId, authenticate: false, approval: "write" });
  expect((await send(request, t.id, "where is order 42?")).status()).toBe(202);
  const [first] = await waitForEvents(api, t.id, 1);
  expect(first.status).toBe("completed");
  // each tool is a tool for the model, with the server's own schema
  const offered = (await modelRequests(scenario))[0].tools.map((x) => x.function);
  expect(offered.map((f) => f.name).sort()).toEqual(["shop_cancel_order", "shop_lookup_order"]);
  expect(offered.find((f) => f.name === "shop_lookup_order")!.parameters).toMatchObject({
    required: ["orderId"],
  });
  const activity = (await messagesOf(api, first.conversationId!)).find(
    (m) => m.type === "activity",
  )!;
  expect(activity.meta).toMatchObject({
    tool: "shop_lookup_order",
    input: { orderId: "42" },
    output: { content: "Order 42: paid, 2 items" },
  });
  expect(mcp.calls.filter((c) => c.tool === "lookup_order")).toEqual([
    expect.objectContaining({
      orderId: "42",
      meta: expect.objectContaining({ idempotencyKey: expect.stringMatching(/^event_/) }),
    }),
  ]);

  // the destructive tool is held: nothing reaches the server until a person approves
  await scriptLlm(scenario, [
    { tool: "shop_cancel_order", args: { orderId: "42" }, perTurn: true, then: "Cancelled." },
  ]);
  expect((await send(request, t.id, "cancel order 42")).status()).toBe(202);
  const [held] = await waitingApprovals(api, t.id);
  expect(held).toMatchObject({ tool: "shop_cancel_order", input: { orderId: "42" } });
  await new Promise((r) => setTimeout(r, 1000));
  expect(mcp.calls.filter((c) => c.tool === "cancel_order")).toHaveLength(0);
  await json(
    await api.post(`/api/v1/integration/trigger/${t.id}/event/${held.eventId}/approval`, {
      data: { decision: "approve" },
    }),
  );
  const events = await waitForEvents(api, t.id, 2);
  expect(events.every((e) => e.status === "completed")).toBe(true);
  expect(mcp.calls.filter((c) => c.tool === "cancel_order")).toEqual([
    expect.objectContaining({
      orderId: "42",
      meta: expect.objectContaining({ idempotencyKey: held.id }),
    }),
  ]);
});

test("the owner chooses tools and effects; a trigger offering read abilities only never offers a write tool; refresh asks again", async ({
  request,
}) => {
  const { api } = await userWithToken();
  const { skillsetId, res } = await mcpAbility(api, {
    url: `${mcp.url}/mcp`,
    tools: ["lookup_order"],
  });
  const { id: abilityId } = await json(res);
  const path = `/api/v1/skillset/${skillsetId}/ability/${abilityId}`;
  let ability = await json(await api.get(`${path}/fetch`));
  expect(ability.tools.map((t: Tool) => [t.name, t.enabled])).toEqual([
    ["lookup_order", true],
    ["cancel_order", false],
  ]);
  expect(ability.effect).toBe("read");
  // a tool the server does not have is refused by name; so is an effect on the ability itself
  await expectError(
    await api.post(`${path}/update`, {
      data: { config: { url: `${mcp.url}/mcp`, tools: ["drop_tables"] } },
    }),
    422,
    "VALIDATION_ERROR",
  );
  await expectError(
    await api.post(`${path}/update`, { data: { effect: "read" } }),
    422,
    "VALIDATION_ERROR",
  );
  // every tool offered, cancel_order overridden to read: the ability now reads only
  await json(
    await api.post(`${path}/update`, {
      data: { config: { url: `${mcp.url}/mcp`, effects: { cancel_order: "read" } } },
    }),
  );
  ability = await json(await api.get(`${path}/fetch`));
  expect(ability.tools.every((t: Tool) => t.enabled && t.effect === "read")).toBe(true);
  await json(await api.post(`${path}/update`, { data: { config: { url: `${mcp.url}/mcp` } } }));

  const { botId, scenario } = await scriptedBot(api, "mcp-read", [{ text: "Looked." }], {
    skillsetId,
  });
  const t = await createTrigger(api, { botId, authenticate: false, abilities: "read" });
  expect((await send(request, t.id, "look")).status()).toBe(202);
  await waitForEvents(api, t.id, 1);
  const names = (await modelRequests(scenario))[0].tools.map((x) => x.function.name);
  expect(names).toEqual(["shop_lookup_order"]);

  const before = ability.toolsDiscoveredAt;
  await new Promise((r) => setTimeout(r, 20));
  const refreshed = await json(await api.post(`${path}/refresh`, { data: {} }));
  expect(refreshed.tools).toHaveLength(2);
  expect(Date.parse(refreshed.toolsDiscoveredAt)).toBeGreaterThan(Date.parse(before));
});

test("a server of the older HTTP+SSE transport is reached through the fallback", async () => {
  const { api } = await userWithToken();
  const { res } = await mcpAbility(api, { url: `${mcp.url}/sse` });
  const created = await json(res);
  expect(created.id).toMatch(/^ability_/);
  expect(mcp.requests.some((r) => r.method === "GET" && r.url === "/sse")).toBe(true);
});

test("an MCP URL on a private address is refused; credentials never follow a redirect to another origin", async () => {
  const { api } = await userWithToken();
  // 127.0.0.2 is loopback and not allow-listed on the test server (127.0.0.1 and localhost are)
  const before = mcp.requests.length;
  const port = new URL(mcp.url).port;
  const refused = await mcpAbility(api, { url: `http://127.0.0.2:${port}/mcp` });
  const body = await expectError(refused.res, 422, "VALIDATION_ERROR");
  expect(body.message).toContain("not a public address");
  expect(mcp.requests.length).toBe(before);

  // /moved answers 307 to another origin: the credential stays behind, the save is refused
  const other = await startMcpServer();
  const redirecting = await startMcpServer({
    redirectTo: other.url.replace("127.0.0.1", "localhost"),
  });
  try {
    const moved = await mcpAbility(api, {
      url: `${redirecting.url}/moved`,
      headers: { Authorization: "Bearer do-not-forward" },
    });
    const answer = await expectError(moved.res, 422, "VALIDATION_ERROR");
    expect(answer.message).toContain("could not list the MCP server's tools");
    expect(redirecting.requests.length).toBeGreaterThan(0);
    expect(other.requests.filter((r) => r.headers.authorization)).toEqual([]);
  } finally {
    await other.close();
    await redirecting.close();
  }
});

test("the dashboard adds an MCP server: test the connection, see its tools, choose them", async ({
  page,
}) => {
  await signUpInBrowser(page);
  await page.getByRole("link", { name: "Skillsets" }).click();
  await page.getByLabel("New skillset name").fill("Shop server");
  await page.getByRole("button", { name: "Create skillset" }).click();
  await page.getByRole("button", { name: "Add ability" }).click();
  await page.getByLabel("Ability name").fill("shop");
  await choose(page, "Kind", /MCP server/);
  await page.getByLabel("URL").fill(`${mcp.url}/mcp`);
  await page.getByRole("button", { name: "Test connection" }).click();
  const tools = page.getByRole("list", { name: "The server's tools" });
  await expect(tools.getByRole("listitem")).toHaveCount(2);
  await expect(page.getByRole("combobox", { name: "Effect of lookup_order" })).toHaveText("read");
  await expect(page.getByRole("combobox", { name: "Effect of cancel_order" })).toHaveText("write");
  await page.getByRole("checkbox", { name: "Offer cancel_order" }).uncheck();
  await page.getByRole("button", { name: "Save ability" }).click();
  await expect(page.getByText("Ability shop added")).toBeVisible();
  await expect(page.getByText(/1 of 2 tools offered/)).toBeVisible();
});
