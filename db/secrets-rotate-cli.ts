// npm run secrets:rotate - re-encrypts every stored secret under the current APP_SECRET.
// Run it with the same APP_SECRET and APP_SECRET_PREVIOUS (and DATABASE_URL) as the servers.
import { rotateStoredSecrets } from "./rotate-secrets";
import { createDb } from "./connect";

createDb()
  .then(async (db) => {
    const counts = await rotateStoredSecrets(db);
    for (const [column, n] of Object.entries(counts))
      console.log(`${column}: ${n} re-encrypted under the current APP_SECRET`);
    console.log("Done: APP_SECRET_PREVIOUS is no longer needed for these secrets.");
    await db.$close();
  })
  .catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
