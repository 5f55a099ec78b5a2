import { expect, test } from "@playwright/test";
import { userWithToken } from "./fixtures/accounts";
import { freePort, ownServer } from "./fixtures/own-server";
import { expectError, json } from "./fixtures/resources";

// With OPENAI_BASE_URL and no MODELS_ALLOWED, the models offered are the ones the model server
// lists at /v1/models (the stub lists llama3.1, qwen2.5:7b and stub), as Ollama, vLLM and LM
// Studio do. The caching and the failure cases are in lib/models/discovery.test.ts.

test("the model server's own list is what bots may use; a model it does not list is refused with the choices", async () => {
  const server = await ownServer(await freePort(), { env: { MODELS_ALLOWED: "" } });
  try {
    await server.start();
    const { api } = await userWithToken(server.base);
    const models = await json(await api.get("/api/v1/model/list"));
    expect(models.message).toBeUndefined();
    expect(models.items.map((m: { id: string }) => m.id)).toEqual([
      "echo",
      "openai/llama3.1",
      "openai/qwen2.5:7b",
      "openai/stub",
    ]);
    expect(models.items[1]).toMatchObject({ label: "OpenAI-compatible: llama3.1" });
    const bot = await json(
      await api.post("/api/v1/bot/create", { data: { name: "Local", model: "llama3.1" } }),
    );
    expect((await json(await api.get(`/api/v1/bot/${bot.id}/fetch`))).model).toBe("llama3.1");
    const refused = await expectError(
      await api.post("/api/v1/bot/create", { data: { name: "Missing", model: "mistral" } }),
      422,
      "VALIDATION_ERROR",
    );
    expect(refused.message).toContain("openai/llama3.1");
  } finally {
    await server.stop();
  }
});
