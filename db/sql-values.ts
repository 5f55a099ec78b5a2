import { sql } from "drizzle-orm";

/**
 * A timestamp as a raw-SQL parameter. postgres.js through drizzle does not
 * serialise Date objects inside sql`` templates (PGlite does), so pass ISO text
 * with an explicit cast; the query builder's own columns need none of this.
 */
export const tsParam = (d: Date) => sql`${d.toISOString()}::timestamptz`;
