// The embedded database's tools (README "Backup" and "Outgrowing one box"):
//   npm run db:backup -- FILE              consistent copy, also while the server runs
//   npm run db:restore -- FILE [--replace] into DATA_DIR, with the server stopped
//   npm run db:copy -- --to postgres://... everything into an empty PostgreSQL database
import { existsSync, renameSync } from "node:fs";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { configuredDataDir } from "../lib/core/env";
import { createDb } from "./connect";
import { copyEmbeddedToPostgres, nonEmptyTables } from "./copy";
import {
  askServer,
  backupTo,
  DataDirError,
  embeddedPaths,
  lockDataDir,
  openPglite,
  prepareDataDir,
  readBackup,
} from "./embedded";

const dataDir = configuredDataDir();
const { pgdata } = embeddedPaths(dataDir);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function requireDatabase() {
  if (!existsSync(path.join(pgdata, "PG_VERSION")))
    throw new DataDirError(
      `There is no embedded database in ${pgdata}: set DATA_DIR to the directory the server uses.`,
    );
}

/** The embedded database opened by this process (refused while a server has it open). */
async function openEmbedded() {
  const db = await createDb({ databaseUrl: "", pgliteDir: pgdata });
  return { db, pg: (db as unknown as { $client: PGlite }).$client };
}

async function backup(file: string | undefined) {
  if (!file) throw new DataDirError("Say where to write the backup: npm run db:backup -- FILE");
  const target = path.resolve(file);
  requireDatabase();
  const viaServer = await askServer(dataDir, { cmd: "backup", file: target });
  if (viaServer) {
    if (!viaServer.ok)
      throw new Error(`The running server could not back up: ${viaServer.message}`);
    console.log(
      `Backed up the running server's database to ${target} (${mb(Number(viaServer.bytes))}).`,
    );
    return;
  }
  const { db, pg } = await openEmbedded();
  try {
    const { bytes } = await backupTo(pg, target);
    console.log(`Backed up ${pgdata} to ${target} (${mb(bytes)}).`);
  } finally {
    await db.$close();
  }
}

async function restore(file: string | undefined, replace: boolean) {
  if (!file) throw new DataDirError("Say which backup to restore: npm run db:restore -- FILE");
  const source = path.resolve(file);
  if (!existsSync(source)) throw new DataDirError(`There is no file ${source}.`);
  prepareDataDir(dataDir);
  const lock = await lockDataDir(dataDir);
  try {
    if (existsSync(path.join(pgdata, "PG_VERSION"))) {
      if (!replace)
        throw new DataDirError(
          `${pgdata} already holds a database. Restore into an empty DATA_DIR, or pass --replace ` +
            "to move the current one aside (it is kept, renamed) and restore in its place.",
        );
      const aside = `${pgdata}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`;
      renameSync(pgdata, aside);
      console.log(`Moved the current database aside to ${aside}.`);
    } else if (existsSync(pgdata)) {
      renameSync(pgdata, `${pgdata}.empty-${Date.now()}`);
    }
    let pg: PGlite;
    try {
      pg = await openPglite(pgdata, { loadDataDir: await readBackup(source) });
    } catch (error) {
      throw new Error(
        `${source} is not a backup made by db:backup (${error instanceof Error ? error.message : error}).`,
      );
    }
    const { rows } = await pg.query<{ triggers: number; events: number }>(
      "select (select count(*) from triggers)::int as triggers, (select count(*) from trigger_events)::int as events",
    );
    await pg.close();
    console.log(
      `Restored ${source} into ${pgdata}: ${rows[0].triggers} triggers, ${rows[0].events} events. ` +
        "Start the server with this DATA_DIR and the APP_SECRET it had when the backup was made.",
    );
  } finally {
    await lock.release();
  }
}

async function copy(args: string[]) {
  const at = args.indexOf("--to");
  const url = at >= 0 ? args[at + 1] : undefined;
  if (!url || !/^postgres(ql)?:\/\//.test(url))
    throw new DataDirError(
      "Say where to copy to: npm run db:copy -- --to postgres://user:pass@host:5432/db",
    );
  requireDatabase();
  const { default: postgres } = await import("postgres");
  const target = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    const full = await nonEmptyTables(target);
    if (full.length)
      throw new DataDirError(
        `The target database is not empty (rows in ${full.join(", ")}): db:copy only fills an ` +
          "empty database, so nothing there is overwritten. Create a new database and copy into it.",
      );
    const { db, pg } = await openEmbedded();
    try {
      const migrated = await createDb({ databaseUrl: url });
      await migrated.$close();
      const counts = await copyEmbeddedToPostgres(pg, target, (line) => console.log(`  ${line}`));
      const rows = Object.values(counts).reduce((a, b) => a + b, 0);
      const redacted = url.replace(/\/\/[^@/]*@/, "//***@");
      console.log(
        `Copied ${rows} rows from ${pgdata} to ${redacted}. Start the servers with ` +
          "DATABASE_URL set to it and the same APP_SECRET; the embedded directory is left as it was.",
      );
    } finally {
      await db.$close();
    }
  } finally {
    await target.end({ timeout: 5 });
  }
}

const [command, ...args] = process.argv.slice(2);
const commands: Record<string, () => Promise<void>> = {
  backup: () => backup(args.find((a) => !a.startsWith("--"))),
  restore: () =>
    restore(
      args.find((a) => !a.startsWith("--")),
      args.includes("--replace"),
    ),
  copy: () => copy(args),
};
(commands[command] ?? (() => Promise.reject(new DataDirError(`unknown command ${command}`))))()
  .then(() => process.exit(0))
  .catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
