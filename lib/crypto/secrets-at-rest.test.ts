import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { createUser } from "@/lib/auth/users";
import { createBot } from "@/lib/bots/service";
import { createToken } from "@/lib/tokens";
import { createTrigger, rotateTriggerSecret } from "@/lib/triggers/service";

/** Every row of every table of ours, as text: what a database dump would contain. */
async function dumpDatabase(): Promise<string> {
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
  it("the database holds no trigger secret, rotated secret, API token or password in plain text", async () => {
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
    const dump = await dumpDatabase();
    expect(dump.length).toBeGreaterThan(1000);
    expect(dump).toContain(botId); // the dump really holds our rows
    for (const s of secrets) {
      expect(dump).not.toContain(s);
      expect(dump).not.toContain(s.slice(0, 24)); // nor a recognisable part of one
    }
  });
});
