import type { PGlite } from "@electric-sql/pglite";
import type { Sql } from "postgres";

/**
 * Copies every table of the embedded database into a PostgreSQL database that
 * has the same migrations applied and holds no rows. Rows travel as JSON text
 * (`row_to_json` out, `json_populate_recordset` in), so ids, timestamps to the
 * microsecond, jsonb and encrypted secrets arrive byte for byte; parents before
 * children, in one transaction on the target: a failed copy leaves it empty.
 */
export async function copyEmbeddedToPostgres(
  source: PGlite,
  target: Sql,
  report: (line: string) => void = () => {},
) {
  const tables = await tablesInCopyOrder(source);
  const counts: Record<string, number> = {};
  await target.begin(async (tx) => {
    for (const table of tables) {
      counts[table] = await copyTable(source, tx as unknown as Sql, table);
      report(`${table}: ${counts[table]} rows`);
    }
  });
  return counts;
}

/** Tables of the public schema that hold rows, by name; empty when there are none. */
export async function nonEmptyTables(target: Sql) {
  const tables = await target<{ name: string }[]>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`;
  const full: string[] = [];
  for (const { name } of tables) {
    const [row] = await target`select exists (select 1 from ${target(name)}) as any`;
    if (row.any) full.push(name);
  }
  return full;
}

const BATCH = 2000;

async function copyTable(source: PGlite, target: Sql, table: string) {
  const quoted = `"${table.replaceAll('"', '""')}"`;
  let copied = 0;
  await source.transaction(async (tx) => {
    await tx.query(
      `declare rows_out no scroll cursor for select row_to_json(t)::text as r from ${quoted} t`,
    );
    for (;;) {
      const { rows } = await tx.query<{ r: string }>(`fetch ${BATCH} from rows_out`);
      if (rows.length === 0) break;
      const json = `[${rows.map((row) => row.r).join(",")}]`;
      await target.unsafe(
        `insert into ${quoted} select * from json_populate_recordset(null::${quoted}, $1::text::json)`,
        [json],
      );
      copied += rows.length;
    }
    await tx.query("close rows_out");
  });
  return copied;
}

/** Every public table, each after the tables its foreign keys point at. */
async function tablesInCopyOrder(source: PGlite) {
  const { rows: tables } = await source.query<{ name: string }>(
    `select table_name as name from information_schema.tables
     where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  const { rows: edges } = await source.query<{ child: string; parent: string }>(
    `select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent
     from pg_constraint c join pg_namespace n on n.oid = c.connamespace
     where c.contype = 'f' and n.nspname = 'public'`,
  );
  const unquote = (name: string) => name.replace(/^"|"$/g, "");
  const parents = new Map(tables.map((t) => [t.name, new Set<string>()]));
  for (const e of edges)
    if (unquote(e.child) !== unquote(e.parent))
      parents.get(unquote(e.child))?.add(unquote(e.parent));
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const next = tables.find(
      (t) => !placed.has(t.name) && [...parents.get(t.name)!].every((p) => placed.has(p)),
    );
    if (!next) throw new Error("the tables' foreign keys form a cycle; cannot order the copy");
    placed.add(next.name);
    ordered.push(next.name);
  }
  return ordered;
}
