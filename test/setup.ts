import postgres from "postgres";
import { createDb, type Db } from "@/db/connect";

process.env.APP_SECRET ??= "test-secret-test-secret-test-secret-0123456789";
// one log line per processed event would drown the test output
process.env.LOG_LEVEL ??= "warn";

/** A copy of the migrated template database for this test file alone. */
async function fileDatabase(): Promise<string> {
  const base = new URL(process.env.DATABASE_URL!);
  const template = process.env.TEST_TEMPLATE_DATABASE!;
  const name = `${template}_f${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(base.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}" template "${template}"`);
  await admin.end();
  base.pathname = `/${name}`;
  return base.toString();
}

const g = globalThis as unknown as { __dbPromise?: Promise<Db> };
g.__dbPromise ??= process.env.TEST_TEMPLATE_DATABASE
  ? fileDatabase().then((url) => {
      process.env.TEST_DATABASE_URL = url;
      return createDb({ databaseUrl: url });
    })
  : createDb({ databaseUrl: "", pgliteDir: "memory://" });
