// npm run db:migrate - applies db/migrations to DATABASE_URL, or to the embedded database.
import { createDb } from "./connect";

createDb()
  .then(async (db) => {
    console.log("Migrations applied.");
    await db.$close();
  })
  .catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
