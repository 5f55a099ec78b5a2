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
