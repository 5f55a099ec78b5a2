import { existsSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { createFreshDatabase } from "@/test/pg";
import { createDb, type Db } from "./connect";
import { copyEmbeddedToPostgres, nonEmptyTables } from "./copy";
import { askServer, DataDirError, embeddedPaths, openPglite, readBackup } from "./embedded";
import { bots, conversations, messages, triggerEvents, triggers, users } from "./schema";

// The embedded tools need a PostgreSQL server to copy into, on the PGlite run too.
const POSTGRES = process.env.CI_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

const root = mkdtempSync(path.join(os.tmpdir(), "trigdash-embedded-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const clientOf = (db: Db) => (db as unknown as { $client: PGlite }).$client;

/** Every table as JSON text, row by row in id order: equal dumps mean equal databases. */
async function dump(query: (text: string) => Promise<{ r: string }[]>) {
  const tables = ["users", "bots", "triggers", "trigger_events", "conversations", "messages"];
  const out: Record<string, string[]> = {};
  for (const t of tables)
    out[t] = (await query(`select row_to_json(x)::text as r from ${t} x order by id`)).map(
      (row) => row.r,
    );
  return out;
}

async function seed(db: Db) {
  await db.insert(users).values({ id: "user_1", email: "a@example.test", passwordHash: "h" });
  await db.insert(bots).values({ id: "bot_1", ownerId: "user_1", name: "b", model: "echo" });
  await db.insert(triggers).values({
    id: "trigger_1",
    ownerId: "user_1",
    botId: "bot_1",
    name: "t",
    secretEnc: "v2:k:sealed",
    meta: { team: "ops" },
  });
  await db.insert(conversations).values({ id: "conversation_1", ownerId: "user_1" });
  for (let i = 0; i < 50; i++) {
    await db.insert(triggerEvents).values({
      id: `event_${String(i).padStart(3, "0")}`,
      ownerId: "user_1",
      triggerId: "trigger_1",
      kind: "event",
      status: "completed",
      payload: { n: i, text: `événement ${i}`, nested: { list: [1, null, "x"] } },
      conversationId: "conversation_1",
    });
    await db.insert(messages).values({
      id: `message_${String(i).padStart(3, "0")}`,
      ownerId: "user_1",
      conversationId: "conversation_1",
      eventId: `event_${String(i).padStart(3, "0")}`,
      type: "user",
      text: `message ${i}`,
    });
  }
}

describe("the embedded database as a one-box install", () => {
  it("creates a missing nested DATA_DIR, and refuses a second process on it with one sentence", async () => {
    const pgdata = path.join(root, "first", "a", "b", "pglite");
    const db = await createDb({ databaseUrl: "", pgliteDir: pgdata });
    try {
      const second = createDb({ databaseUrl: "", pgliteDir: pgdata });
      await expect(second).rejects.toBeInstanceOf(DataDirError);
      await expect(second).rejects.toThrow(
        /has the embedded database in .* open, and PGlite allows one process per directory/,
      );
    } finally {
      await db.$close();
    }
    // closed: the directory is free again
    const again = await createDb({ databaseUrl: "", pgliteDir: pgdata });
    await again.$close();
  });

  it("answers socket commands only with the key from DATA_DIR; a long DATA_DIR still locks", async () => {
    const dataDir = path.join(root, "keyed", "x".repeat(90));
    const { socket, pgdata } = embeddedPaths(dataDir);
    expect(socket.startsWith("\0"), "past the socket path limit: the abstract namespace").toBe(
      true,
    );
    const db = await createDb({ databaseUrl: "", pgliteDir: pgdata });
    try {
      await expect(createDb({ databaseUrl: "", pgliteDir: pgdata })).rejects.toBeInstanceOf(
        DataDirError,
      );
      const target = path.join(root, "stolen.tar.gz");
      const reply = await new Promise<string>((resolve, reject) => {
        const c = net.connect(socket);
        let text = "";
        c.on("data", (d) => (text += d));
        c.on("end", () => resolve(text));
        c.on("error", reject);
        c.write(`${JSON.stringify({ cmd: "backup", file: target, key: "guess" })}\n`);
      });
      expect(JSON.parse(reply)).toMatchObject({
        ok: false,
        message: expect.stringMatching(/not allowed/),
      });
      expect(existsSync(target)).toBe(false);
      // with the key (askServer reads it) the same command works
      expect(await askServer(dataDir, { cmd: "backup", file: target })).toMatchObject({ ok: true });
      expect(existsSync(target)).toBe(true);
    } finally {
      await db.$close();
    }
  });

  it("refuses a DATA_DIR it cannot create, saying what to do", async () => {
    const file = path.join(root, "a-file");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(file, "");
    await expect(
      createDb({ databaseUrl: "", pgliteDir: path.join(file, "sub", "pglite") }),
    ).rejects.toThrow(/cannot be used \(ENOTDIR\): make it writable/);
  });

  it("backs up through the running holder, and the backup restores into a fresh directory with the same rows", async () => {
    const dataDir = path.join(root, "live");
    const db = await createDb({ databaseUrl: "", pgliteDir: embeddedPaths(dataDir).pgdata });
    const file = path.join(root, "backup.tar.gz");
    let before: Record<string, string[]>;
    try {
      await seed(db);
      before = await dump(async (q) => (await clientOf(db).query<{ r: string }>(q)).rows);
      const reply = await askServer(dataDir, { cmd: "backup", file });
      expect(reply).toMatchObject({ ok: true, file });
    } finally {
      await db.$close();
    }
    const restored = await openPglite(path.join(root, "restored", "pglite"), {
      loadDataDir: await readBackup(file),
    });
    try {
      const after = await dump(async (q) => (await restored.query<{ r: string }>(q)).rows);
      expect(after.trigger_events).toHaveLength(50);
      expect(after).toEqual(before);
    } finally {
      await restored.close();
    }
  });

  it("copies every row into an empty PostgreSQL database byte for byte, and refuses a non-empty one", async () => {
    const dataDir = path.join(root, "to-copy");
    const db = await createDb({ databaseUrl: "", pgliteDir: embeddedPaths(dataDir).pgdata });
    const target = await createFreshDatabase(POSTGRES, "trigdash_copy");
    const sql = postgres(target.url, {
      max: 1,
      onnotice: () => {},
      connection: { TimeZone: "UTC" },
    });
    try {
      await seed(db);
      const before = await dump(async (q) => (await clientOf(db).query<{ r: string }>(q)).rows);
      expect(await nonEmptyTables(sql)).toEqual([]);
      const migrated = await createDb({ databaseUrl: target.url });
      await migrated.$close();
      const counts = await copyEmbeddedToPostgres(clientOf(db), sql);
      expect(counts).toMatchObject({ users: 1, triggers: 1, trigger_events: 50, messages: 50 });
      const after = await dump((q) => sql.unsafe(q) as Promise<{ r: string }[]>);
      expect(after).toEqual(before);
      expect(await nonEmptyTables(sql)).toEqual(
        expect.arrayContaining(["users", "triggers", "trigger_events", "messages"]),
      );
    } finally {
      await sql.end();
      await target.drop();
      await db.$close();
    }
  });
});
