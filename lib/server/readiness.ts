import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { env, usesInngest } from "@/lib/core/env";
import { inlineRunner } from "@/lib/processing/runner";
import { serverState } from "./start";

const DB_TIMEOUT_MS = 1000;

/**
 * For a load balancer: ready when the database answers within a second (the
 * migrations were applied when it opened) and the server is not draining.
 */
export async function readiness(): Promise<{ ready: boolean; body: Record<string, unknown> }> {
  const runner = usesInngest() ? "inngest" : env().INLINE_RUNNER ? "inline" : "off";
  const draining = serverState().draining;
  let database: "ok" | "unavailable" = "ok";
  try {
    const db = await withTimeout(getDb(), DB_TIMEOUT_MS);
    await withTimeout(db.execute(sql`select 1`), DB_TIMEOUT_MS);
  } catch {
    database = "unavailable";
  }
  const body: Record<string, unknown> = {
    status: draining ? "draining" : database === "ok" ? "ready" : "unavailable",
    database,
    runner,
    ...(runner === "inline" && { busyWorkers: inlineRunner().busy() }),
  };
  return { ready: !draining && database === "ok", body };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("timeout")), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
