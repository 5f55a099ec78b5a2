import { createDb, type Db } from "@/db/connect";

process.env.APP_SECRET ??= "test-secret-test-secret-test-secret-0123456789";

const g = globalThis as unknown as { __dbPromise?: Promise<Db> };
g.__dbPromise ??= createDb(
  process.env.TEST_DATABASE_URL
    ? { databaseUrl: process.env.TEST_DATABASE_URL }
    : { databaseUrl: "", pgliteDir: "memory://" },
);
