import { execFileSync } from "node:child_process";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { createUser } from "@/lib/auth/users";
import { createBot } from "@/lib/bots/service";
import {
  createAbility,
  createSkillset,
  listAbilities,
  updateAbility,
} from "@/lib/skillsets/service";
import { createToken } from "@/lib/api-tokens";
import { rotateTriggerSecret } from "@/lib/triggers/secret";
import { createTrigger } from "@/lib/triggers/service";

/** Every row of every table of ours, as text: what a database dump would contain. */
async function dumpDatabase(): Promise<string> {
  // On PostgreSQL, the real thing.
  if (process.env.TEST_DATABASE_URL)
    return execFileSync("pg_dump", ["--data-only", process.env.TEST_DATABASE_URL]).toString();
  const db = await getDb();
  const result = await db.execute(
    sql`select table_name from information_schema.tables where table_schema = 'public'`,
  );
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
    table_name: string;
  }[];
  let out = "";
  for (const { table_name } of rows) {
    const data = await db.execute(sql.raw(`select * from "${table_name}"`));
    out += JSON.stringify(Array.isArray(data) ? data : (data as { rows: unknown[] }).rows);
  }
  return out;
}

describe("secrets at rest", () => {
  it("the database holds no trigger secret, API token, password or third-party credential in plain text", async () => {
    const password = "plain-text-password-123";
    const user = await createUser({ email: `rest-${Date.now()}@example.test`, password });
    const { id: botId } = await createBot({
      ownerId: user.id,
      input: { name: "b", model: "echo" },
    });
    const secrets: string[] = [password];
    for (let i = 0; i < 3; i++) {
      const t = await createTrigger({
        ownerId: user.id,
        input: { botId, authenticate: true },
        baseUrl: "http://x",
      });
      secrets.push(t.secret, (await rotateTriggerSecret({ ownerId: user.id, id: t.id })).secret);
      secrets.push((await createToken({ ownerId: user.id, name: `t${i}` })).token);
    }
    const { id: skillsetId } = await createSkillset({ ownerId: user.id, input: { name: "s" } });
    const apiKey = "sk-live-third-party-api-key-0001";
    const hmac = "webhook-hmac-secret-0002";
    await createAbility({
      ownerId: user.id,
      skillsetId,
      input: {
        name: "lookup",
        kind: "http_request",
        config: {
          method: "GET",
          url: "https://shop.example.com/x",
          headers: { Authorization: `Bearer ${apiKey}` },
          timeoutMs: 1000,
        },
      },
    });
    const hook = await createAbility({
      ownerId: user.id,
      skillsetId,
      input: {
        name: "hook",
        kind: "webhook",
        config: { url: "https://example.com/h", secret: hmac, timeoutMs: 1000 },
      },
    });
    // an update that leaves the secret out keeps it (still only encrypted)
    await updateAbility({ ownerId: user.id, skillsetId, id: hook.id, input: { description: "d" } });
    secrets.push(apiKey, hmac);

    const dump = await dumpDatabase();
    expect(dump.length).toBeGreaterThan(1000);
    expect(dump).toContain(botId); // the dump really holds our rows
    for (const s of secrets) {
      expect(dump).not.toContain(s);
      expect(dump).not.toContain(s.slice(0, 24)); // nor a recognisable part of one
    }
    // and the API shows names, masks and flags, never the values
    const listed = JSON.stringify(
      await listAbilities({ ownerId: user.id, skillsetId, query: { take: 10, order: "asc" } }),
    );
    expect(listed).not.toContain(apiKey);
    expect(listed).not.toContain(hmac);
    expect(listed).toContain('"Authorization":"••••0001"');
    expect(listed).toContain('"secretSet":true');
  });
});
