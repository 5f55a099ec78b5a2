import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { Webhook } from "standardwebhooks";
import { abilities, type BatchPolicy, type Trigger, type TriggerAbilities } from "@/db/schema";
import { ApiError } from "@/lib/core/errors";
import { env } from "@/lib/core/env";
import { encryptSecret } from "@/lib/crypto/secrets";
import { batchKeyProblem } from "@/lib/events/batching";
import { compileFilter } from "@/lib/events/filter";
import { LIMIT_RANGES } from "./schema";
import type { VerificationInput } from "./verification";

// What a trigger's create and update check beyond the schema (each a 422 that names the field),
// and how the write-only verification secret is kept.

/** `triggerSchedule` (seed) and `schedule` (SDK) name one field; undefined means "not given". */
export function pickSchedule(input: {
  triggerSchedule?: string | null;
  schedule?: string | null;
}): string | null | undefined {
  const a = input.triggerSchedule;
  const b = input.schedule;
  if (a !== undefined && b !== undefined && (a ?? "") !== (b ?? "")) {
    throw new ApiError(
      "VALIDATION_ERROR",
      "Invalid body: triggerSchedule and schedule differ; send one of them",
      {
        issues: [{ path: "schedule", message: "differs from triggerSchedule" }],
      },
    );
  }
  const value = a !== undefined ? a : b;
  if (value === undefined) return undefined;
  return value?.trim() ? value.trim() : null;
}

/** A filter must compile: else 422 naming the line and column of the mistake. */
export function checkFilter(filter: string | null | undefined) {
  if (!filter?.trim()) return;
  const c = compileFilter(filter);
  if (!c.ok) {
    const message = `line ${c.problem.line}, column ${c.problem.column}: ${c.problem.message}`;
    throw new ApiError("VALIDATION_ERROR", `Invalid body: filter: ${message}`, {
      issues: [{ path: "filter", message }],
    });
  }
}

/** The policy with its defaults filled in, as stored. */
export function normalizeBatch(
  batch: { window: number; maxWait?: number; maxEvents?: number; key?: string | null } | null,
): BatchPolicy | null {
  if (!batch) return null;
  return {
    window: batch.window,
    maxWait: batch.maxWait ?? Math.max(batch.window, LIMIT_RANGES.batchMaxWait.default),
    maxEvents: batch.maxEvents ?? LIMIT_RANGES.batchMaxEvents.default,
    key: batch.key?.trim() ? batch.key : null,
  };
}

/** A batch key must compile to a string or a number: else 422 naming where. */
export function checkBatchKey(batch: { key?: string | null } | null | undefined) {
  if (!batch?.key?.trim()) return;
  const problem = batchKeyProblem(batch.key);
  if (problem)
    throw new ApiError("VALIDATION_ERROR", `Invalid body: batch.key: ${problem}`, {
      issues: [{ path: "batch.key", message: problem }],
    });
}

/** A Standard Webhooks secret is base64 (after whsec_): one that is not could never verify. */
function checkStandardWebhooksSecret(secret: string) {
  try {
    new Webhook(secret);
  } catch {
    throw new ApiError(
      "VALIDATION_ERROR",
      "Invalid body: verification.secret: is not a Standard Webhooks secret (whsec_ followed by base64)",
      { issues: [{ path: "verification.secret", message: "must be whsec_ followed by base64" }] },
    );
  }
}

/**
 * The stored verification and its encrypted secret after a create or update:
 * an omitted secret is kept while the preset stays the same, `null` removes it.
 */
export function verificationColumns(
  input: VerificationInput | undefined,
  current?: Pick<Trigger, "verification" | "verificationSecretEnc">,
) {
  if (!input) return {};
  const { secret, ...rest } = input;
  if (secret && input.type === "standard-webhooks") checkStandardWebhooksSecret(secret);
  const verification = Object.fromEntries(
    Object.entries(rest).filter(([, v]) => v !== undefined && v !== null),
  ) as Trigger["verification"];
  const keep = secret === undefined && current?.verification.type === input.type;
  return {
    verification,
    verificationSecretEnc: secret
      ? encryptSecret(secret)
      : keep
        ? current.verificationSecretEnc
        : null,
  };
}

/** A trigger's own rate limit may not pass the operator's ceiling (MAX_RATE_LIMIT_*). */
export function checkRateLimits(input: {
  rateLimitPerSecond?: number | null;
  rateLimitBurst?: number | null;
}) {
  const e = env();
  const issues = [
    ["rateLimitPerSecond", input.rateLimitPerSecond, e.MAX_RATE_LIMIT_PER_SECOND],
    ["rateLimitBurst", input.rateLimitBurst, e.MAX_RATE_LIMIT_BURST],
  ]
    .filter(([, value, max]) => typeof value === "number" && value > (max as number))
    .map(([path, , max]) => ({
      path: String(path),
      message: `must be at most ${max} on this server`,
    }));
  if (issues.length)
    throw new ApiError(
      "VALIDATION_ERROR",
      `Invalid body: ${issues[0].path}: ${issues[0].message}`,
      {
        issues,
      },
    );
}

/** A trigger's list of abilities names the owner's abilities only: else 422 naming the unknown ones. */
export async function checkAbilityIds(
  db: Db,
  ownerId: string,
  list: TriggerAbilities | null | undefined,
) {
  if (!Array.isArray(list) || !list.length) return;
  const ids = [...new Set(list)];
  const found = await db
    .select({ id: abilities.id })
    .from(abilities)
    .where(and(eq(abilities.ownerId, ownerId), inArray(abilities.id, ids)));
  const known = new Set(found.map((r) => r.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length)
    throw new ApiError(
      "VALIDATION_ERROR",
      `Invalid body: abilities: no such ability: ${unknown.slice(0, 5).join(", ")}`,
      { issues: [{ path: "abilities", message: `no such ability: ${unknown.join(", ")}` }] },
    );
}
