import path from "node:path";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { PGlite } from "@electric-sql/pglite";
import type { Sql } from "postgres";
import { env } from "@/lib/core/env";
import { isDatabaseUnavailable } from "@/lib/core/db-unavailable";
import { backupTo, lockDataDir, openPglite, prepareDataDir } from "./embedded";
import { preparingPglite } from "./pglite-prepared";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema> & {
  $close: () => Promise<void>;
  /** Which engine: some statements (statement_timeout) only make sense on a server. */
  $dialect: "postgres" | "pglite";
  /**
   * One parameterized statement in one round trip, outside any transaction. On PostgreSQL it
   * runs on a small pool of its own whose connections have `statement_timeout` set to
   * BOUNDED_STATEMENT_MS, so a statement the caller gave up on cannot commit minutes later; on
   * PGlite (in this process) a plain query.
   */
  $boundedQuery: <Row = Record<string, unknown>>(text: string, params: unknown[]) => Promise<Row[]>;
  /**
   * The client the event runs use (lib/processing: claims, conversations, completions). On
   * PostgreSQL a pool of RUN_POOL_SIZE connections of its own, so that the runner's short
   * statements queue on a few connections and go out together (postgres.js pipelines on a busy
   * connection and sends what a tick queued in one write) instead of each waking a connection of
   * its own, and so that a burst of runs cannot take the connections the API answers with. On
   * PGlite the same client.
   */
  $run: Db;
  /**
   * Calls `onNotify` on each NOTIFY on `channel`, resolving once the server listens. On PostgreSQL
   * a connection of its own, which postgres.js opens again (and listens again) when it closes; on
   * PGlite nothing (one process holds the database, so there is nobody else to hear from).
   */
  $listen: (channel: string, onNotify: () => void) => Promise<void>;
};

/** How long the server lets a `$boundedQuery` statement run before it cancels it (PostgreSQL). */
export const BOUNDED_STATEMENT_MS = 3000;

/** Connections of the bounded pool (event inserts), beside DATABASE_POOL_SIZE's. */
const BOUNDED_POOL_SIZE = 4;

/** Connections of the runs' pool (`$run`), beside DATABASE_POOL_SIZE's and the bounded pool's. */
export const RUN_POOL_SIZE = 4;

const migrationsFolder = path.join(process.cwd(), "db", "migrations");

/** postgres.js when DATABASE_URL is set, else embedded PGlite; migrations applied either way. */
export async function createDb(
  options: { databaseUrl?: string; pgliteDir?: string } = {},
): Promise<Db> {
  const databaseUrl = options.databaseUrl ?? env().DATABASE_URL;
  // an explicit empty databaseUrl means "embedded", whatever the environment says
  if (databaseUrl) return connectPostgres(databaseUrl);
  return connectPglite(options.pgliteDir ?? path.join(env().dataDir, "pglite"));
}

/**
 * The client drizzle is given: every statement prepared. drizzle runs its queries through
 * postgres.js's `unsafe()`, which prepares nothing unless told to and then sends a statement with
 * parameters as two round trips (Parse+Describe, wait for the parameter types, then Bind+Execute).
 * Prepared, each connection describes a query text once and runs it in one round trip ever
 * after. Transactions and savepoints hand their callback a client of their own: wrapped the same,
 * and fenced (see `fenced`). DATABASE_PREPARE=false turns the preparing off (a PgBouncer in
 * transaction mode cannot keep statements); the fence stays.
 */
export function preparing(client: Sql, prepare = true, tx?: TxState): Sql {
  return new Proxy(client, {
    get(target, key, receiver) {
      if (key === "unsafe")
        return (text: string, params?: never[], options?: Record<string, unknown>) => {
          const query = target.unsafe(text, params, prepare ? { ...options, prepare } : options);
          return tx ? fenced(query, tx) : query;
        };
      if (key === "begin" || key === "savepoint")
        return (...args: unknown[]) => {
          // a savepoint lives and dies with its transaction
          const state: TxState = key === "begin" ? { ended: null } : tx!;
          const i = args.findIndex((a) => typeof a === "function");
          const fn = args[i] as (tx: Sql) => unknown;
          args[i] = (handle: Sql) => fn(preparing(handle, prepare, state));
          const call = (target as unknown as Record<string, (...a: unknown[]) => unknown>)[key];
          const result = call.apply(target, args) as Promise<unknown>;
          if (key === "begin")
            result.then(
              () => (state.ended ??= transactionEnded("TRANSACTION_ENDED", "committed")),
              (error) => (state.ended ??= endedBy(error)),
            );
          return result;
        };
      const value = Reflect.get(target, key, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Set once a transaction is over: the error its handle's later statements fail with. */
type TxState = { ended: Error | null };

const transactionEnded = (code: string, how: string) =>
  Object.assign(
    new Error(`The transaction was ${how}; a statement made after its end was not sent`),
    { code },
  );

/** Lost with its connection (the database unavailable to the caller), or rolled back. */
const endedBy = (error: unknown) =>
  isDatabaseUnavailable(error)
    ? transactionEnded("CONNECTION_CLOSED", "lost with its connection")
    : transactionEnded("TRANSACTION_ENDED", "rolled back");

type PendingQuery = {
  handler: (q: PendingQuery) => unknown;
  reject: (e: unknown) => void;
};

/**
 * A transaction's statement, refused once the transaction is over. postgres.js rejects
 * `begin()` when the transaction's connection closes, but the callback goes on running: its next
 * statement would be sent on the same connection once the pool reconnects it, outside any
 * transaction (committed alone, without the row locks it was written under, and at times
 * answered with another statement's result). The check runs when postgres.js hands the
 * statement to its connection, not when it was made; and a statement of the transaction failing
 * with its connection ends the transaction at once (postgres.js rejects `begin()` a few
 * microtasks later). A statement postgres.js parked in the transaction's own queue when the
 * connection closed is never rejected by it: the runner's watchdog frees a run waiting on one
 * (lib/processing/runner.ts).
 */
function fenced<Q>(query: Q, tx: TxState): Q {
  const q = query as unknown as PendingQuery;
  const send = q.handler;
  const reject = q.reject;
  q.handler = (pending) => (tx.ended ? pending.reject(tx.ended) : send(pending));
  q.reject = (error) => {
    if (isDatabaseUnavailable(error)) tx.ended ??= endedBy(error);
    reject(error);
  };
  return query;
}

async function connectPostgres(url: string): Promise<Db> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const options = {
    connect_timeout: 3,
    idle_timeout: 30,
    // postgres.js's default back-off grows to 20 s between reconnects after a few failures, so a
    // server could sit out 20 s after the database came back; retry at most once a second.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
    onnotice: () => {},
  };
  const client = postgres(url, { ...options, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
  const runClient = postgres(url, { ...options, max: RUN_POOL_SIZE });
  // Set when each connection opens, so a bounded statement is one round trip (no BEGIN / SET LOCAL / COMMIT).
  const bounded = postgres(url, {
    ...options,
    max: BOUNDED_POOL_SIZE,
    connection: { statement_timeout: BOUNDED_STATEMENT_MS },
  });
  const prepare = (c: Sql) => preparing(c, process.env.DATABASE_PREPARE !== "false");
  const db = drizzle(prepare(client), { schema });
  const closeAll = async () =>
    void (await Promise.all([client, runClient, bounded].map((c) => c.end({ timeout: 5 }))));
  try {
    // Servers starting together take turns applying migrations.
    await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(727274)`);
      await migrate(drizzle(client, { schema }), { migrationsFolder });
    });
    await checkBounded(bounded);
  } catch (error) {
    await closeAll().catch(() => {}); // a server waiting for its database tries again with new pools
    throw error;
  }
  const redacted = url.replace(/\/\/[^@/]*@/, "//***@");
  log(`[db] PostgreSQL at ${redacted}; migrations applied.`);
  const extras = {
    $close: closeAll,
    $dialect: "postgres" as const,
    $listen: async (channel: string, onNotify: () => void) =>
      void (await client.listen(channel, () => onNotify())),
    // prepared (postgres.js's unsafe() is not by default, and then describes every statement
    // first, a second round trip): the callers' texts are fixed, so each connection keeps a few
    $boundedQuery: (text: string, params: unknown[]) =>
      bounded.unsafe(text, params as never[], { prepare: true }) as Promise<never[]>,
  };
  const run = Object.assign(drizzle(prepare(runClient), { schema }), extras) as unknown as Db;
  run.$run = run;
  return Object.assign(db, extras, { $run: run }) as unknown as Db;
}

/**
 * The bounded pool's connections must really carry statement_timeout: a connection pooler in
 * between may refuse the startup parameter (PgBouncer does, unless configured) or drop it.
 * Either stops the server at start-up with a sentence, not 500s on every event later.
 */
async function checkBounded(bounded: Sql) {
  const expected = `${BOUNDED_STATEMENT_MS / 1000}s`;
  let applied: string;
  try {
    [{ statement_timeout: applied }] =
      await bounded.unsafe<{ statement_timeout: string }[]>("show statement_timeout");
  } catch (error) {
    // unreachable (the server waits for it at start-up), not a refused parameter
    if (isDatabaseUnavailable(error)) throw error;
    throw new Error(
      `PostgreSQL refused the event-insert connections' statement_timeout startup parameter ` +
        `(${error instanceof Error ? error.message : String(error)}). Connect to PostgreSQL ` +
        "directly, or let the connection pooler pass startup parameters on.",
      { cause: error },
    );
  }
  if (applied !== expected)
    throw new Error(
      `The event-insert connections run with statement_timeout = ${applied}, not ${expected}: ` +
        "a connection pooler between this server and PostgreSQL dropped the startup parameter. " +
        "Connect to PostgreSQL directly, or let the pooler pass startup parameters on.",
    );
}

async function connectPglite(dir: string): Promise<Db> {
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  const inMemory = dir === "memory://";
  let lock: { release: () => Promise<void> } | null = null;
  if (!inMemory) {
    const dataDir = path.dirname(dir);
    prepareDataDir(dataDir);
    // `npm run db:backup` while this server runs asks it, through the lock's socket
    lock = await lockDataDir(dataDir, async (request) =>
      request.cmd === "backup" && request.file
        ? backupTo(client, request.file)
        : { ok: false, message: `unknown command ${request.cmd}` },
    );
  }
  let client: PGlite;
  try {
    client = await openPglite(inMemory ? "memory://" : dir);
  } catch (error) {
    await lock?.release();
    throw error;
  }
  const prepared = preparingPglite(client);
  await migrate(drizzle(client, { schema }), { migrationsFolder });
  const db = drizzle(prepared, { schema });
  if (!inMemory) {
    log(
      `[db] Embedded PostgreSQL (PGlite) in ${dir}; migrations applied. ` +
        "Set DATABASE_URL=postgres://user:pass@host:5432/db to use PostgreSQL instead.",
    );
  }
  const embedded = Object.assign(db, {
    $close: async () => {
      await client.close();
      await lock?.release();
    },
    $dialect: "pglite" as const,
    $listen: async () => {},
    $boundedQuery: async (text: string, params: unknown[]) =>
      (await prepared.query(text, params)).rows,
  }) as unknown as Db;
  // one database in this process: the runs use the same client
  embedded.$run = embedded;
  return embedded;
}

function log(line: string) {
  if (process.env.NODE_ENV !== "test") console.log(line);
}
