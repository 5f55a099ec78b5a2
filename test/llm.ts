import net from "node:net";
import { afterAll, beforeAll } from "vitest";
import { startLlmStub } from "@/e2e/fixtures/llm-stub.mjs";
import { setEnv } from "@/test/env";

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

/**
 * The stub OpenAI-compatible model (e2e/fixtures/llm-stub.mjs) on a loopback port for this test
 * file, with OPENAI_BASE_URL pointing at it and abilities allowed to call loopback receivers.
 * Each scenario (the trigger's model id) replays the replies scripted for it.
 */
export function withLlmStub() {
  let llm: { close: () => Promise<void> } | undefined;
  let url = "";
  beforeAll(async () => {
    const port = await freePort();
    llm = await startLlmStub(port);
    url = `http://127.0.0.1:${port}`;
    setEnv({
      OPENAI_BASE_URL: `${url}/v1`,
      ABILITY_HTTP_ALLOW_HOSTS: "127.0.0.1",
      // named, as the e2e server does: the stub's own /v1/models list is not what these tests use
      MODELS_ALLOWED: "openai/gpt-4o-mini,openai/stub",
    });
  });
  afterAll(async () => {
    await llm?.close();
    setEnv({
      OPENAI_BASE_URL: undefined,
      ABILITY_HTTP_ALLOW_HOSTS: undefined,
      MODELS_ALLOWED: undefined,
    });
  });
  return {
    /** The replies the model gives, in order, to the next requests for this scenario. */
    script: async (scenario: string, replies: unknown[]) => {
      await fetch(`${url}/__script`, {
        method: "POST",
        body: JSON.stringify({ scenario, replies }),
      });
    },
    /** How many requests the model got for this scenario. */
    callsOf: async (scenario: string) =>
      (await (await fetch(`${url}/__calls/${scenario}`)).json()).calls as number,
    /** The requests the model got for this scenario, as sent. */
    requestsOf: async (scenario: string) =>
      (await (await fetch(`${url}/__requests/${scenario}`)).json()).requests as {
        messages: { role: string; content: unknown }[];
        tools?: { function: { name: string } }[];
      }[],
  };
}
