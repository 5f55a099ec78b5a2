import { spawnSync } from "node:child_process";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import type { PGlite, PGliteOptions } from "@electric-sql/pglite";

/**
 * The embedded database's directory: PGlite's data files, and a Unix socket that
 * exists while a process has the database open. PGlite allows one process per
 * directory; the socket is how a second one (a second server, a backup, a copy)
 * finds out, and how `db:backup` asks a running server for a consistent copy.
 */
export function embeddedPaths(dataDir: string) {
  const file = path.join(dataDir, "server.sock");
  return {
    pgdata: path.join(dataDir, "pglite"),
    // a socket path has a 107-byte limit; past it, Linux's abstract namespace (no file at all)
    socket:
      Buffer.byteLength(file) <= 100
        ? file
        : `\0trigdash-${createHash("sha256").update(dataDir).digest("hex").slice(0, 32)}`,
    pidfile: path.join(dataDir, "server.pid"),
    // commands on the socket must carry this (readable by the server's user only)
    keyfile: path.join(dataDir, "server.key"),
  };
}

const isFile = (socket: string) => !socket.startsWith("\0");

/** A sentence for the person starting the process; printed without a stack trace. */
export class DataDirError extends Error {}

/**
 * PGlite's defaults are tuned for a browser tab: 128 MB of shared buffers grown
 * into the WebAssembly heap, which never shrinks. These are the sizes measured in
 * docs/benchmarks.md ("Embedded footprint").
 */
export const EMBEDDED_START_PARAMS = [
  "-c",
  "shared_buffers=16MB",
  "-c",
  "work_mem=2MB",
  "-c",
  "maintenance_work_mem=16MB",
  "-c",
  "temp_buffers=2MB",
  "-c",
  "wal_buffers=1MB",
  "-c",
  "max_wal_size=64MB",
  "-c",
  "min_wal_size=32MB",
];

/** Creates the directory with its parents and checks this user can write there. */
export function prepareDataDir(dataDir: string) {
  try {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    fs.accessSync(dataDir, fs.constants.W_OK | fs.constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new DataDirError(
      `DATA_DIR ${dataDir} cannot be used (${code}): make it writable by the user running this ` +
        "server, or set DATA_DIR to a directory that is.",
    );
  }
}

const busy = (dataDir: string, pid: string | null) =>
  new DataDirError(
    `Another process${pid ? ` (pid ${pid})` : ""} has the embedded database in ${dataDir} open, ` +
      "and PGlite allows one process per directory: stop that server first, give this one its own " +
      "DATA_DIR, or set DATABASE_URL to a PostgreSQL database to run several servers.",
  );

function readPid(file: string) {
  try {
    return fs.readFileSync(file, "utf8").trim() || null;
  } catch {
    return null;
  }
}

/** Is a process listening on this socket? */
function answers(socket: string) {
  return new Promise<boolean>((resolve) => {
    const c = net.connect(socket);
    c.once("connect", () => {
      c.destroy();
      resolve(true);
    });
    c.once("error", () => resolve(false));
  });
}

type Handler = (request: { cmd: string; file?: string }) => Promise<Record<string, unknown>>;

/**
 * Takes the data directory for this process, or throws DataDirError when another
 * live process holds it. The kernel closes the socket when a process dies (kill -9
 * included), so a socket nobody answers on is left over and taken over.
 */
export async function lockDataDir(dataDir: string, handle: Handler = unknownCommand) {
  const { socket, pidfile, keyfile } = embeddedPaths(dataDir);
  if (await answers(socket)) throw busy(dataDir, readPid(pidfile));
  try {
    // atomic: of two processes taking over the same leftover socket, one renames it away
    const stale = `${socket}.stale-${process.pid}`;
    if (isFile(socket)) fs.renameSync(socket, stale);
    fs.rmSync(stale, { force: true });
  } catch {
    // nothing left over
  }
  const key = randomBytes(24).toString("hex");
  fs.writeFileSync(keyfile, key, { mode: 0o600 });
  const server = net.createServer((conn) => serve(conn, key, handle));
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? busy(dataDir, readPid(pidfile))
          : new DataDirError(
              `Cannot create ${socket} (${error.code}): DATA_DIR must be a local, writable directory.`,
            ),
      ),
    );
    server.listen(socket, () => resolve());
  });
  server.unref();
  if (isFile(socket)) fs.chmodSync(socket, 0o600);
  fs.writeFileSync(pidfile, String(process.pid));
  return {
    release: () =>
      new Promise<void>((resolve) => {
        fs.rmSync(pidfile, { force: true });
        fs.rmSync(keyfile, { force: true });
        server.close(() => resolve());
      }),
  };
}

async function unknownCommand(request: { cmd: string }) {
  return { ok: false, message: `unknown command ${request.cmd}` };
}

function serve(conn: net.Socket, key: string, handle: Handler) {
  let buffer = "";
  let answered = false;
  conn.setEncoding("utf8");
  conn.on("error", () => {});
  conn.on("data", async (chunk) => {
    if (answered) return;
    buffer += chunk;
    const newline = buffer.indexOf("\n");
    if (newline < 0) {
      if (buffer.length > 4096) conn.destroy();
      return;
    }
    answered = true;
    let reply: Record<string, unknown>;
    try {
      const { key: sent, ...request } = JSON.parse(buffer.slice(0, newline));
      const given = Buffer.from(String(sent ?? ""));
      reply =
        given.length === key.length && timingSafeEqual(given, Buffer.from(key))
          ? await handle(request)
          : { ok: false, message: "not allowed: the command did not carry DATA_DIR/server.key" };
    } catch (error) {
      reply = { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    conn.end(`${JSON.stringify(reply)}\n`);
  });
}

/** Sends one command to the server holding the directory; null when no process holds it. */
export async function askServer(
  dataDir: string,
  request: { cmd: string; file?: string },
): Promise<Record<string, unknown> | null> {
  const { socket, keyfile } = embeddedPaths(dataDir);
  if (!(await answers(socket))) return null;
  let key: string;
  try {
    key = fs.readFileSync(keyfile, "utf8");
  } catch (error) {
    throw new DataDirError(
      `Cannot read ${keyfile} (${(error as NodeJS.ErrnoException).code}): run this as the user that runs the server.`,
    );
  }
  return new Promise((resolve, reject) => {
    const c = net.connect(socket);
    let text = "";
    c.setEncoding("utf8");
    c.on("data", (d) => (text += d));
    c.on("end", () => {
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new Error("the server closed the connection without an answer"));
      }
    });
    c.on("error", reject);
    c.write(`${JSON.stringify({ ...request, key })}\n`);
  });
}

/**
 * A new database is made by initdb in a second PGlite instance, whose WebAssembly
 * memory (about 500 MB) a long-running server would keep as resident garbage; a
 * short-lived process makes it instead, and takes that memory with it.
 */
function initInChildProcess(pgdata: string) {
  const script =
    'const { PGlite } = await import("@electric-sql/pglite");' +
    "const pg = new PGlite(process.env.PGLITE_INIT_DIR); await pg.waitReady; await pg.close();";
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    env: { ...process.env, PGLITE_INIT_DIR: pgdata, NODE_OPTIONS: "" },
    stdio: ["ignore", "ignore", "pipe"],
    timeout: 120_000,
  });
  if (result.status !== 0)
    throw new DataDirError(
      `Creating the embedded database in ${pgdata} failed: ${String(result.stderr).trim().split("\n").at(-1)}`,
    );
}

/** Opens the embedded database (the caller holds the directory's lock). */
export async function openPglite(pgdata: string, options: PGliteOptions = {}) {
  const { PGlite } = await import("@electric-sql/pglite");
  if (pgdata !== "memory://") {
    fs.mkdirSync(path.dirname(pgdata), { recursive: true, mode: 0o700 });
    if (!options.loadDataDir && !fs.existsSync(path.join(pgdata, "PG_VERSION")))
      initInChildProcess(pgdata);
  }
  const pg = new PGlite(pgdata, {
    startParams: [...PGlite.defaultStartParams, ...EMBEDDED_START_PARAMS],
    ...options,
  });
  await pg.waitReady;
  return pg;
}

/**
 * A consistent, gzipped copy of the whole database: a checkpoint, then the data
 * directory as one tarball taken while no statement runs (PGlite runs one at a
 * time), so a restore starts like a server after a clean shutdown or, at worst, a
 * crash it recovers from.
 */
export async function backupTo(pg: PGlite, file: string) {
  await pg.query("checkpoint");
  const dump = await pg.dumpDataDir("gzip");
  const tmp = `${file}.partial-${process.pid}`;
  await fs.promises.writeFile(tmp, Buffer.from(await dump.arrayBuffer()), { mode: 0o600 });
  await fs.promises.rename(tmp, file);
  return { ok: true, file, bytes: dump.size };
}

/** Reads a backup made by backupTo (gzip, or a plain tarball), typed so PGlite unpacks it. */
export async function readBackup(file: string): Promise<Blob> {
  const bytes = await fs.promises.readFile(file);
  const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  return new Blob([new Uint8Array(bytes)], {
    type: gzip ? "application/x-gzip" : "application/x-tar",
  });
}
