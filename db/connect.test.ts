import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFreshDatabase } from "@/test/pg";
import { startTcpProxy } from "@/test/tcp-proxy";
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

// postgres.js rejects begin() when the transaction's connection closes, but the callback runs on;
// its next statement went out on the reconnected connection, outside any transaction (committed
// alone). Each transaction's handle refuses statements once the transaction is over.
describe("a transaction whose connection is lost", () => {
  let fresh: Awaited<ReturnType<typeof createFreshDatabase>>;
  beforeAll(async () => {
    fresh = await createFreshDatabase(POSTGRES, "txfence");
  });
  afterAll(() => fresh?.drop());

  for (const prepare of [true, false])
    it(`sends nothing after the loss, committed or not (prepared: ${prepare})`, async () => {
      const url = new URL(fresh.url);
      const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
      url.hostname = "127.0.0.1";
      url.port = String(proxy.port);
      const direct = postgres(fresh.url, { max: 1, onnotice: () => {} });
      const client = postgres(url.toString(), { max: 1, onnotice: () => {}, backoff: () => 0.05 });
      try {
        await direct.unsafe(`drop table if exists fence; create table fence (v int)`);
        const db = drizzle(preparing(client, prepare));
        let resume!: () => void;
        const paused = new Promise<void>((r) => (resume = r));
        const afterLoss: string[] = [];
        const inside = db.transaction(async (tx) => {
          await tx.execute(sql`insert into fence values (${1})`);
          await paused; // the connection is lost here, while the callback waits on something else
          for (const v of [2, 3])
            await tx
              .execute(sql`insert into fence values (${v})`)
              .then(() => afterLoss.push(`${v} sent`))
              .catch((e: { cause?: { code?: string } }) =>
                afterLoss.push(`${v} refused: ${e.cause?.code}`),
              );
        });
        const outcome = inside.then(
          () => "committed",
          (e: { code?: string; cause?: { code?: string } }) => `failed: ${e.code ?? e.cause?.code}`,
        );
        await new Promise((r) => setTimeout(r, 100));
        await proxy.cut();
        await proxy.restore();
        // the pool reconnects the same connection for the next statement
        expect(await db.execute(sql`select ${7}::int as n`)).toEqual([{ n: 7 }]);
        resume();
        expect(await outcome).toBe("failed: CONNECTION_CLOSED");
        await expect.poll(() => afterLoss.length).toBe(2);
        expect(afterLoss).toEqual(["2 refused: CONNECTION_CLOSED", "3 refused: CONNECTION_CLOSED"]);
        // nothing of the transaction was committed, and the pool still answers
        expect(await direct.unsafe(`select v from fence`)).toEqual([]);
        expect(await db.execute(sql`select ${8}::int as n`)).toEqual([{ n: 8 }]);
      } finally {
        await client.end({ timeout: 1 });
        await direct.end();
        await proxy.close();
      }
    });

  it("refuses a transaction's handle used after its end, committed or rolled back", async () => {
    const client = postgres(fresh.url, { max: 1, onnotice: () => {} });
    try {
      const db = drizzle(preparing(client));
      let kept!: Parameters<Parameters<typeof db.transaction>[0]>[0];
      await db.transaction(async (tx) => {
        kept = tx;
        await tx.execute(sql`select 1`);
      });
      await expect(kept.execute(sql`select 2`)).rejects.toMatchObject({
        cause: { code: "TRANSACTION_ENDED" },
      });
      // rolled back by its own error: ended too, and not mistaken for a lost database
      await db
        .transaction(async (tx) => {
          kept = tx;
          throw new Error("the callback's own failure");
        })
        .catch(() => {});
      await expect(kept.execute(sql`select 3`)).rejects.toMatchObject({
        cause: { code: "TRANSACTION_ENDED", message: expect.stringContaining("rolled back") },
      });
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
