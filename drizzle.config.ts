import { defineConfig } from "drizzle-kit";

// Migrations are generated from db/schema.ts and committed; they are applied at
// start-up (db/migrate.ts) on PGlite and PostgreSQL alike. Never `push`.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./db/migrations",
});
