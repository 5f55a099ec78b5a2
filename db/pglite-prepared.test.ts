import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PGLITE_STATEMENT_CACHE, preparingPglite } from "./pglite-prepared";

// PGlite's statements prepared once per text (./pglite-prepared.ts): the answers must be PGlite's
// own, in and out of transactions, errors included.
describe("PGlite with prepared statements", () => {
  let raw: PGlite;
  let pg: PGlite;
  beforeAll(async () => {
    raw = new PGlite();
    pg = preparingPglite(raw);
    await raw.exec(`
      create table items (id text primary key, n int not null, meta jsonb, at timestamptz,
        tags text[]);
      insert into items values ('a', 1, '{"k":"v"}', '2026-01-02T03:04:05Z', '{x,y}');`);
  });
  afterAll(() => raw.close());

  const preparedTexts = async () =>
    (
      await raw.query<{ statement: string }>("select statement from pg_prepared_statements")
    ).rows.map((r) => r.statement);

  it("answers as PGlite's own query does, in object and array mode", async () => {
    const text = "select id, n, meta, at, tags from items where id = $1 and n >= $2";
    for (const options of [undefined, { rowMode: "array" as const }]) {
      const own = await raw.query(text, ["a", 0], options);
      const prepared = await pg.query(text, ["a", 0], options);
      expect(prepared.rows).toEqual(own.rows);
      expect(prepared.fields).toEqual(own.fields);
    }
    const row = (await pg.query<{ meta: unknown; at: Date; tags: string[] }>(text, ["a", 0]))
      .rows[0];
    expect(row.meta).toEqual({ k: "v" });
    expect(row.at).toEqual(new Date("2026-01-02T03:04:05Z"));
    expect(row.tags).toEqual(["x", "y"]);
  });

  it("serializes parameters for their types: jsonb, timestamps, arrays, null", async () => {
    const at = new Date("2026-05-06T07:08:09Z");
    const inserted = await pg.query<{ id: string }>(
      "insert into items values ($1, $2, $3, $4, $5) returning id",
      ["b", 2, { nested: [1, 2] }, at, ["p", "q"]],
    );
    expect(inserted.rows).toEqual([{ id: "b" }]);
    expect(inserted.affectedRows).toBe(1);
    const back = await raw.query("select meta, at, tags from items where id = 'b'");
    expect(back.rows[0]).toEqual({ meta: { nested: [1, 2] }, at, tags: ["p", "q"] });
    await pg.query("update items set meta = $1 where id = $2", [null, "b"]);
    expect((await raw.query("select meta from items where id = 'b'")).rows[0]).toEqual({
      meta: null,
    });
  });

  it("parses a text once and runs it from its name after", async () => {
    const text = "select n + $1::int as m from items where id = 'a'";
    for (const k of [1, 2, 3]) expect((await pg.query(text, [k])).rows).toEqual([{ m: 1 + k }]);
    expect((await preparedTexts()).filter((s) => s === text)).toHaveLength(1);
  });

  it("keeps PGlite's errors and goes on after them", async () => {
    const error = await pg.query("insert into items (id, n) values ($1, 1)", ["a"]).catch((e) => e);
    expect(error).toMatchObject({
      code: "23505",
      query: "insert into items (id, n) values ($1, 1)",
    });
    await expect(pg.query("selec 1")).rejects.toMatchObject({ code: "42601" });
    expect((await pg.query("select count(*)::int as c from items")).rows).toEqual([{ c: 2 }]);
  });

  it("runs inside transactions, which commit or roll back as a whole", async () => {
    await pg.transaction(async (tx) => {
      await tx.query("insert into items (id, n) values ($1, $2)", ["t1", 5]);
      expect((await tx.query("select n from items where id = $1", ["t1"])).rows).toEqual([
        { n: 5 },
      ]);
    });
    await expect(
      pg.transaction(async (tx) => {
        await tx.query("insert into items (id, n) values ($1, $2)", ["t2", 6]);
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    const ids = (await pg.query<{ id: string }>("select id from items where id like $1", ["t%"]))
      .rows;
    expect(ids).toEqual([{ id: "t1" }]);
  });

  it("lets statements outside a transaction wait for it to end", async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const tx = pg.transaction(async (t) => {
      await t.query("update items set n = $1 where id = 'a'", [100]);
      await held;
      await t.query("update items set n = $1 where id = 'a'", [1]);
    });
    await new Promise((r) => setTimeout(r, 20));
    const outside = pg.query<{ n: number }>("select n from items where id = $1", ["a"]);
    release();
    await tx;
    // read after the transaction, not between its two updates
    expect((await outside).rows).toEqual([{ n: 1 }]);
  });

  it("keeps at most PGLITE_STATEMENT_CACHE statements, closing the least recently used", async () => {
    for (let i = 0; i < PGLITE_STATEMENT_CACHE + 20; i++)
      await pg.query(`select $1::int + ${i} as v`, [1]);
    const held = (await preparedTexts()).length;
    expect(held).toBeLessThanOrEqual(PGLITE_STATEMENT_CACHE + 1);
    expect(held).toBeGreaterThan(PGLITE_STATEMENT_CACHE / 2);
  });

  it("prepares a statement again when a schema change alters its result", async () => {
    const text = "select * from items where id = $1";
    expect(Object.keys((await pg.query(text, ["a"])).rows[0] as object)).not.toContain("extra");
    await raw.exec("alter table items add column extra text default 'x'");
    expect((await pg.query<{ extra: string }>(text, ["a"])).rows[0].extra).toBe("x");
  });

  it("serves drizzle: queries, raw statements and transactions", async () => {
    const db = drizzle(pg);
    const rows = await db.execute<{ id: string }>(sql`select id from items where n = ${1}`);
    expect(rows.rows).toEqual([{ id: "a" }]);
    const inTx = await db.transaction(async (tx) => {
      await tx.execute(sql`insert into items (id, n) values (${"d"}, ${7})`);
      return tx.execute<{ n: number }>(sql`select n from items where id = ${"d"}`);
    });
    expect(inTx.rows).toEqual([{ n: 7 }]);
  });
});
