import { ChatBotKit } from "@chatbotkit/sdk";
import { expect, test } from "@playwright/test";
import { baseURL, userWithToken } from "./fixtures/accounts";
import { createBot } from "./fixtures/resources";

test("the official @chatbotkit/sdk client works against our API", async () => {
  const { token, api } = await userWithToken();
  const botId = await createBot(api);
  const client = new ChatBotKit({ secret: token, baseUrl: baseURL() });
  const triggers = client.integration.trigger;

  const created = await triggers.create({
    name: "SDK trigger",
    botId,
    authenticate: true,
    sessionDuration: 60_000,
    schedule: "1h",
  });
  expect(created.id).toMatch(/^trigger_/);

  const fetched = await triggers.fetch(created.id);
  expect(fetched).toMatchObject({
    id: created.id,
    name: "SDK trigger",
    botId,
    authenticate: true,
    schedule: "1h",
    sessionDuration: 60_000,
  });
  expect(fetched.secret).toMatch(/^[0-9a-f]{64}$/);

  await triggers.update(created.id, { description: "updated by the SDK", meta: { via: "sdk" } });
  expect(await triggers.fetch(created.id)).toMatchObject({
    description: "updated by the SDK",
    meta: { via: "sdk" },
  });

  const list = await triggers.list({ take: 10, meta: { via: "sdk" } } as never);
  expect(list.items.map((t: { id: string }) => t.id)).toEqual([created.id]);

  const streamed: string[] = [];
  for await (const line of triggers.list().stream()) {
    expect(line.type).toBe("item");
    streamed.push((line.data as { id: string }).id);
  }
  expect(streamed).toEqual([created.id]);

  expect(await triggers.setup(created.id)).toEqual({ id: created.id });
  expect(await triggers.invoke(created.id, {})).toMatchObject({ id: created.id });
  expect(await triggers.delete(created.id)).toEqual({ id: created.id });

  const error = await triggers.fetch(created.id).then(
    () => null,
    (e: unknown) => e as { message: string; code: string },
  );
  expect(error).not.toBeNull();
  expect(error?.code).toBe("NOT_FOUND");
  expect(error?.message).toBe("Trigger not found");
});

test("alias: set through the SDK on triggers, bots, skillsets and blueprints, unique per owner, accepted by fetch in place of the id", async () => {
  const { token, api } = await userWithToken();
  const other = await userWithToken();
  const client = new ChatBotKit({ secret: token, baseUrl: baseURL() });
  const bot = await client.bot.create({ name: "Aliased bot", alias: "support-bot" } as never);
  expect(await client.bot.fetch("support-bot")).toMatchObject({ id: bot.id, alias: "support-bot" });
  const skillset = await client.skillset.create({ name: "Tools", alias: "tools" } as never);
  expect(await client.skillset.fetch("tools")).toMatchObject({ id: skillset.id, alias: "tools" });
  const blueprint = await client.blueprint.create({ name: "Shop", alias: "shop" } as never);
  expect(await client.blueprint.fetch("shop")).toMatchObject({ id: blueprint.id, alias: "shop" });

  const trigger = await client.integration.trigger.create({
    name: "Orders",
    botId: bot.id,
    authenticate: true,
    alias: "orders",
  } as never);
  expect(await client.integration.trigger.fetch("orders")).toMatchObject({
    id: trigger.id,
    alias: "orders",
  });
  const listed = await client.integration.trigger.list();
  expect(listed.items).toEqual([expect.objectContaining({ id: trigger.id, alias: "orders" })]);

  // unique per owner: a clash is a 409 naming the alias; another owner may use it
  const clash = await client.bot.create({ name: "Second", alias: "support-bot" } as never).then(
    () => null,
    (e: unknown) => e as { message: string; code: string },
  );
  expect(clash).toMatchObject({
    code: "CONFLICT",
    message: expect.stringContaining("support-bot"),
  });
  const elsewhere = new ChatBotKit({ secret: other.token, baseUrl: baseURL() });
  expect(
    (await elsewhere.bot.create({ name: "Theirs", alias: "support-bot" } as never)).id,
  ).toMatch(/^bot_/);
  // and their alias does not reach our bot, nor ours theirs
  expect(await client.bot.fetch("support-bot")).toMatchObject({ id: bot.id });

  // renamed and cleared through update; an alias shaped like an id is refused
  await client.integration.trigger.update(trigger.id, { alias: "orders-eu" } as never);
  expect(await client.integration.trigger.fetch("orders-eu")).toMatchObject({ id: trigger.id });
  const gone = await client.integration.trigger.fetch("orders").then(
    () => null,
    (e: unknown) => e as { code: string },
  );
  expect(gone?.code).toBe("NOT_FOUND");
  await client.bot.update(bot.id, { alias: null } as never);
  expect(await client.bot.fetch(bot.id)).toMatchObject({ alias: null });
  const idShaped = await api.post("/api/v1/bot/create", {
    data: { name: "x", alias: "bot_01JAAAAAAAAAAAAAAAAAAAAAAA" },
  });
  expect(idShaped.status()).toBe(422);
});
