import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { apiRoute } from "@/lib/api/route";

// GET /api/health - 200 when the database answers, 503 otherwise
export const GET = apiRoute({ auth: false }, async () => {
  const db = await getDb();
  await db.execute(sql`select 1`);
  return { status: "ok" };
});
