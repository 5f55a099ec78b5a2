import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFreshDatabase } from "@/test/pg";
import { createDb, preparing, RUN_POOL_SIZE, type Db } from "./connect";

const POSTGRES = process.env.CI_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

// drizzle's statements on PostgreSQL are prepared: one round trip each once a connection has
// seen the text, instead of a describe round trip before every statement with parameters.
describe("statements on PostgreSQL", () => {
  let fresh: Awaited<ReturnType<typeof createFreshDatabase>>;
  beforeAll(async () => {
    fresh = await createFreshDatabase(POSTGRES, "prepare");
  });
  afterAll(() => fresh?.drop());

  /** The statement texts the one connection of `client` holds prepared. */
  const preparedOn = async (client: postgres.Sql) =>
    (
      await client.unsafe<{ statement: string }[]>("select statement from pg_prepared_statements")
    ).map((r) => r.statement);

  it("are prepared once per connection and reused, in and out of transactions", async () => {
    const client = postgres(fresh.url, { max: 1, onnotice: () => {} });
    try {
      const db = drizzle(preparing(client));
      const q = (n: number) => db.execute(sql`select ${n}::int + 1 as n`);
      expect((await q(1))[0]).toEqual({ n: 2 });
      expect((await q(41))[0]).toEqual({ n: 42 });
      await db.transaction(async (tx) => {
        await tx.execute(sql`select ${"in a transaction"}::text as t`);
        await tx.transaction((inner) => inner.execute(sql`select ${"nested"}::text as t`));
      });
      const held = await preparedOn(client);
      expect(held).toContain("select $1::int + 1 as n");
      expect(held).toContain("select $1::text as t");
      // the same text twice is one statement, not two
      expect(held.filter((s) => s === "select $1::int + 1 as n")).toHaveLength(1);
    } finally {
      await client.end();
    }
  });

  it("are not prepared by drizzle's own client (the two round trips this replaces)", async () => {
    const client = postgres(fresh.url, { max: 1, onnotice: () => {} });
    try {
      await drizzle(client).execute(sql`select ${1}::int + 1 as n`);
      expect(await preparedOn(client)).not.toContain("select $1::int + 1 as n");
    } finally {
      await client.end();
    }
  });
});

// the runs' statements go to a small pool of their own (Db.$run), beside the API's connections
describe("the runs' pool on PostgreSQL", () => {
  let fresh: Awaited<ReturnType<typeof createFreshDatabase>>;
  let db: Db;
  beforeAll(async () => {
    fresh = await createFreshDatabase(POSTGRES, "runpool");
    db = await createDb({ databaseUrl: fresh.url });
  });
  afterAll(async () => {
    await db?.$close();
    await fresh?.drop();
  });

  /** The backends that answer `n` statements sent at once through `client`. */
  const backends = async (client: Db, n: number) =>
    new Set(
      await Promise.all(
        Array.from({ length: n }, async () => {
          const [row] = (await client.execute(
            sql`select pg_backend_pid() as pid, pg_sleep(0.05)`,
          )) as unknown as { pid: number }[];
          return row.pid;
        }),
      ),
    );

  it("holds at most RUN_POOL_SIZE connections, none of them the API's", async () => {
    const run = await backends(db.$run, 16);
    const api = await backends(db, 16);
    expect(run.size).toBeLessThanOrEqual(RUN_POOL_SIZE);
    expect(api.size).toBeGreaterThan(RUN_POOL_SIZE);
    expect([...run].filter((pid) => api.has(pid))).toEqual([]);
    // the same database, prepared like the main client, with the same extras
    expect(db.$run.$dialect).toBe("postgres");
    expect(db.$run.$run).toBe(db.$run);
  });
});
