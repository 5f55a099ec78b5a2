import { spawn, type ChildProcess } from "node:child_process";
import { expect, test } from "@playwright/test";
import { userWithToken } from "./fixtures/accounts";
import { freePort, ownServer } from "./fixtures/own-server";
import { scenarioName, scriptLlm } from "./fixtures/pipeline";
import { json } from "./fixtures/resources";

// Exactly once when the box is starved: two servers on one PostgreSQL with short leases, a slow
// model and every core busy with other work; one server is killed mid-load. Every event's
// messages must be in its session's one conversation exactly once and in order.

const SESSIONS = 24;
const PER_SESSION = 20;

type Row = { id: string; status: string; conversationId: string | null; attempts: number };

async function all<T>(base: string, token: string, path: string): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const res = await fetch(`${base}${path}${sep}take=100${cursor ? `&cursor=${cursor}` : ""}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const page = await res.json();
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return out;
}

/** Busy loops on every core, as other work on a shared machine would be. */
function burnCpu(n: number): ChildProcess[] {
  const burners = Array.from({ length: n }, () =>
    spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" }),
  );
  // a test that times out must not leave them burning under the next ones
  process.once("exit", () => burners.forEach((b) => b.kill("SIGKILL")));
  return burners;
}

test("starved runners: 480 events in 24 sessions on two servers with short leases, a slow model, busy cores and a kill -9 are each recorded exactly once, in order", async () => {
  test.skip(!process.env.DATABASE_URL, "two servers share one database on PostgreSQL only");
  test.setTimeout(420_000);
  // leases short enough that a starved server's renewals come late and its events are taken over
  const env = { EVENT_LEASE_MS: "2000", RUNNER_CONCURRENCY: "4" };
  const first = await ownServer(await freePort(), { env });
  const second = await ownServer(await freePort(), { env, databaseUrl: first.databaseUrl });
  let burners: ChildProcess[] = [];
  try {
    await first.start();
    await second.start();
    const { api, token } = await userWithToken(first.base);
    const scenario = scenarioName("starved");
    // a slow model: each run holds its lease for a good part of its length
    await scriptLlm(scenario, [{ text: "noted", delayMs: 700 }]);
    const { id: botId } = await json(
      await api.post("/api/v1/bot/create", {
        data: { name: "slow", model: "openai/stub", backstory: `[scenario:${scenario}]` },
      }),
    );
    const { id: triggerId } = await json(
      await api.post("/api/v1/integration/trigger/create", {
        data: { botId, authenticate: false },
      }),
    );

    burners = burnCpu(2);
    const bases = [first.base, second.base];
    // each session's events in order (the next only after the last was accepted), sessions at once
    let accepted = 0;
    let killed = false;
    await Promise.all(
      Array.from({ length: SESSIONS }, async (_, s) => {
        for (let i = 0; i < PER_SESSION; i++) {
          // after the kill, everything goes to the server still up
          const base = killed ? second.base : bases[(s + i) % 2];
          const res = await fetch(
            `${base}/v1/integration/trigger/${triggerId}/event?session=s${s}`,
            {
              method: "POST",
              // a sender that re-sends what got no answer names each event, as a real one would:
              // the killed server may have stored it before it could answer
              headers: { "content-type": "application/json", "idempotency-key": `s${s}-e${i}` },
              body: JSON.stringify({ text: `s${s}-e${i}` }),
            },
          ).catch(() => null);
          if (res?.status !== 202 && res?.status !== 200) {
            i--; // the killed server's refusal: send it again to the other one
            continue;
          }
          accepted++;
          if (!killed && accepted === Math.floor((SESSIONS * PER_SESSION) / 3)) {
            killed = true;
            await first.kill9();
          }
        }
      }),
    );
    expect(accepted).toBe(SESSIONS * PER_SESSION);

    let rows: Row[] = [];
    await expect
      .poll(
        async () => {
          rows = await all<Row>(
            second.base,
            token,
            `/api/v1/integration/trigger/${triggerId}/event/list`,
          );
          // every stored event finished (and no event stored twice)
          return rows.every((r) => r.status === "completed" || r.status === "failed")
            ? rows.length
            : -1;
        },
        { timeout: 360_000, intervals: [2000] },
      )
      .toBe(SESSIONS * PER_SESSION);
    for (const b of burners) b.kill("SIGKILL");
    burners = [];
    expect(rows.filter((r) => r.status !== "completed")).toEqual([]);

    // per session: one conversation, each event's user message and reply exactly once, in order
    const conversations = new Set(rows.map((r) => r.conversationId));
    expect(conversations.size).toBe(SESSIONS);
    const taken = rows.filter((r) => r.attempts > 1).length;
    for (const conversationId of conversations) {
      const messages = await all<{ type: string; text: string; eventId: string | null }>(
        second.base,
        token,
        `/api/v1/conversation/${conversationId}/message/list?order=asc`,
      );
      const users = messages.filter((m) => m.type === "user").map((m) => m.text);
      const session = users[0]?.split("-")[0];
      expect(users, `conversation ${conversationId}`).toEqual(
        Array.from({ length: PER_SESSION }, (_, i) => `${session}-e${i}`),
      );
      expect(messages.filter((m) => m.type === "bot")).toHaveLength(PER_SESSION);
      // each reply follows its own event's message
      expect(messages.filter((m) => m.type !== "activity").map((m) => m.type)).toEqual(
        Array.from({ length: PER_SESSION }, () => ["user", "bot"]).flat(),
      );
    }
    console.log(
      `starved: ${rows.length} events completed, ${taken} of them after a claim was taken over`,
    );
  } finally {
    for (const b of burners) b.kill("SIGKILL");
    await first.stop();
    await second.stop();
  }
});
