import { sql } from "drizzle-orm";
import type { Db } from "./connect";
import { decryptSecret, encryptSecret, isCurrentKey } from "@/lib/crypto/secrets";

/** Every column that holds a secret encrypted with the key ring, as table.column. */
export const ENCRYPTED_COLUMNS = [
  ["triggers", "secret_enc"],
  ["triggers", "previous_secret_enc"],
  ["triggers", "verification_secret_enc"],
  ["abilities", "secrets_enc"],
] as const;

const rowsOf = (result: unknown) =>
  (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
    id: string;
    value: string;
  }[];

/**
 * `npm run secrets:rotate`: re-encrypts every stored secret under the current
 * APP_SECRET (reading older ones with APP_SECRET_PREVIOUS), in batches, each
 * row written only if it did not change meanwhile. Afterwards the previous
 * keys can be dropped. Safe to run while servers are up, and to run again.
 */
export async function rotateStoredSecrets(db: Db, batch = 500): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [tableName, columnName] of ENCRYPTED_COLUMNS) {
    const table = sql.identifier(tableName);
    const column = sql.identifier(columnName);
    const key = `${tableName}.${columnName}`;
    counts[key] = 0;
    let after = "";
    for (;;) {
      const rows = rowsOf(
        await db.execute(
          sql`select id, ${column} as value from ${table} where ${column} is not null and id > ${after} order by id limit ${batch}`,
        ),
      );
      if (!rows.length) break;
      after = rows[rows.length - 1].id;
      for (const row of rows) {
        if (isCurrentKey(row.value)) continue;
        const fresh = encryptSecret(decryptSecret(row.value));
        const done = rowsOf(
          await db.execute(
            sql`update ${table} set ${column} = ${fresh} where id = ${row.id} and ${column} = ${row.value} returning id`,
          ),
        );
        counts[key] += done.length;
      }
    }
  }
  return counts;
}
