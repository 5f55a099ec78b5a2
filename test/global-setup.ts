import { createFreshDatabase } from "./pg";

// With DATABASE_URL set, the run gets a database of its own, dropped at the end;
// without, every test file opens its own in-memory PGlite (test/setup.ts).
export default async function setup() {
  const base = process.env.DATABASE_URL;
  if (!base) return;
  const fresh = await createFreshDatabase(base, "trigdash_unit");
  process.env.TEST_DATABASE_URL = fresh.url;
  return () => fresh.drop();
}
