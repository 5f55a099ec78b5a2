import http from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { setEnv } from "@/test/env";
import {
  availableModels,
  DISCOVERY_TTL_MS,
  forgetDiscoveredModels,
  isOfferedModel,
  modelChoiceError,
  resolveModel,
} from "./index";

// The models an OpenAI-compatible server lists at /v1/models, against a real HTTP server that
// counts how often it is asked and answers what the test says.

let answer: { status: number; body: unknown } = { status: 200, body: { data: [] } };
let asked = 0;
let seenAuth: string | undefined;
const server = http.createServer((req, res) => {
  if (req.url !== "/v1/models") return res.writeHead(404).end();
  asked++;
  seenAuth = req.headers.authorization;
  res.writeHead(answer.status, { "content-type": "application/json" });
  res.end(typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body));
});
let base = "";

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
});
afterAll(async () => {
  setEnv({ OPENAI_BASE_URL: undefined, OPENAI_API_KEY: undefined, MODELS_ALLOWED: undefined });
  forgetDiscoveredModels();
  vi.useRealTimers();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  vi.useRealTimers();
  forgetDiscoveredModels();
  asked = 0;
  setEnv({
    OPENAI_BASE_URL: base,
    OPENAI_API_KEY: "k-123",
    MODELS_ALLOWED: "",
    ANTHROPIC_API_KEY: undefined,
  });
});

const ids = async () => (await availableModels()).items.map((m) => m.id);

describe("models from the model server's /v1/models", () => {
  it("offers what the server lists, asks once per few minutes, sends the key", async () => {
    answer = {
      status: 200,
      body: { object: "list", data: [{ id: "llama3.1" }, { id: "qwen2.5:7b" }] },
    };
    expect(await ids()).toEqual(["echo", "openai/llama3.1", "openai/qwen2.5:7b"]);
    expect(seenAuth).toBe("Bearer k-123");
    answer = { status: 200, body: { data: [{ id: "mistral" }] } };
    expect(await ids()).toEqual(["echo", "openai/llama3.1", "openai/qwen2.5:7b"]);
    expect(asked).toBe(1);
    expect(await isOfferedModel("llama3.1")).toBe(true);
    expect(await isOfferedModel("mistral")).toBe(false);
    expect(await resolveModel("llama3.1")).not.toBeNull();
    await expect(resolveModel("mistral")).rejects.toThrow(/not offered/);

    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + DISCOVERY_TTL_MS + 1000);
    expect(await ids()).toEqual(["echo", "openai/mistral"]);
    expect(asked).toBe(2);
  });

  it("keeps the last list when the server stops answering, and says so", async () => {
    answer = { status: 200, body: { data: [{ id: "llama3.1" }] } };
    await ids();
    answer = { status: 500, body: { error: "down" } };
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + DISCOVERY_TTL_MS + 1000);
    const list = await availableModels();
    expect(list.items.map((m) => m.id)).toEqual(["echo", "openai/llama3.1"]);
    expect(list.message).toMatch(
      /did not list its models: it answered 500\. Showing its last list/,
    );
    expect(list.message).not.toContain("127.0.0.1");
  });

  it("before the server has ever answered: only echo, a message, bots refused with it, runs not refused", async () => {
    answer = { status: 200, body: "not json" };
    const list = await availableModels();
    expect(list.items.map((m) => m.id)).toEqual(["echo"]);
    expect(list.message).toContain("its answer is not JSON");
    expect((await modelChoiceError("llama3.1"))?.message).toContain("did not list its models");
    // the model server answers for an unknown model itself; a run is not failed for the list
    expect(await isOfferedModel("llama3.1")).toBe(true);
    expect(await isOfferedModel("anthropic/claude-sonnet-4-5")).toBe(false);
  });

  it("MODELS_ALLOWED wins: the server is not asked", async () => {
    setEnv({ MODELS_ALLOWED: "openai/gpt-4o-mini" });
    expect(await ids()).toEqual(["echo", "openai/gpt-4o-mini"]);
    expect(asked).toBe(0);
  });
});
