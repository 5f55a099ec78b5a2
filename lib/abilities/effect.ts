import type { AbilityEffect, AbilityKind } from "@/db/schema";

export const ABILITY_EFFECTS = ["read", "write"] as const satisfies readonly AbilityEffect[];

/**
 * What an ability does unless its owner says otherwise: an HTTP GET reads, every other method
 * and every webhook writes. Unknown is write: approvals then hold it, which is the safe side.
 */
export function defaultEffect(kind: AbilityKind, config: Record<string, unknown>): AbilityEffect {
  if (kind === "http_request" && String(config.method ?? "GET").toUpperCase() === "GET")
    return "read";
  return "write";
}
