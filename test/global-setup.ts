import postgres from "postgres";
import { createDb } from "@/db/connect";
import { createFreshDatabase } from "./pg";

// With DATABASE_URL set, the run gets a template database of its own, migrated
// once; every test file then works in its own copy (test/setup.ts), so files
// running in parallel never claim each other's events. All are dropped at the
// end. Without DATABASE_URL every test file opens its own in-memory PGlite.
export default async function setup() {
  const base = process.env.DATABASE_URL;
  if (!base) return;
  const template = await createFreshDatabase(base, "trigdash_unit");
  process.env.APP_SECRET ??= "test-secret-test-secret-test-secret-0123456789";
  const db = await createDb({ databaseUrl: template.url });
  await db.$close();
  process.env.TEST_TEMPLATE_DATABASE = new URL(template.url).pathname.slice(1);
  return async () => {
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    const copies =
      await admin`select datname from pg_database where datname like ${`${process.env.TEST_TEMPLATE_DATABASE}_f%`}`;
    for (const { datname } of copies)
      await admin.unsafe(`drop database if exists "${datname}" with (force)`);
    await admin.end();
    await template.drop();
  };
}
