import postgres from "postgres";
import { createDb, type Db } from "@/db/connect";

process.env.APP_SECRET ??= "test-secret-test-secret-test-secret-0123456789";
// one log line per processed event would drown the test output
process.env.LOG_LEVEL ??= "warn";

// With a template (test/global-setup.ts), this file's database is a copy of it, named now so a
// test can read TEST_DATABASE_URL when it is collected, and made on first use.
const template = process.env.TEST_TEMPLATE_DATABASE;
if (template) {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${template}_f${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  process.env.TEST_DATABASE_URL = url.toString();
}

/** A copy of the migrated template database for this test file alone. */
async function fileDatabase(url: string): Promise<Db> {
  const admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(
      `create database "${new URL(url).pathname.slice(1)}" template "${template}"`,
    );
  } finally {
    await admin.end();
  }
  // A loaded 2-core runner copying templates for parallel files can take longer than the
  // server's 3 s connect_timeout to answer a new connection: one more try then.
  return createDb({ databaseUrl: url }).catch((error) =>
    error?.cause?.code === "CONNECT_TIMEOUT" || error?.code === "CONNECT_TIMEOUT"
      ? createDb({ databaseUrl: url })
      : Promise.reject(error),
  );
}

// The database is made when db/client.ts first asks for it, not when the file loads: a file that
// never touches it (most of the pure-logic tests) opens nothing, and nothing is left to fail
// unawaited in the background.
let dbPromise: Promise<Db> | undefined;
Object.defineProperty(globalThis, "__dbPromise", {
  configurable: true,
  get: () =>
    (dbPromise ??= template
      ? fileDatabase(process.env.TEST_DATABASE_URL!)
      : createDb({ databaseUrl: "", pgliteDir: "memory://" })),
  set: (value: Promise<Db> | undefined) => void (dbPromise = value),
});
