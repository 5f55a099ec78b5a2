import { createHash } from "node:crypto";
import type { Ability, AbilityEffect, McpTool, TriggerAbilities } from "@/db/schema";
import { mcpConfig } from "./config";
import { effectiveInputSchema, type JsonSchema } from "./input-schema";

// What the model is offered: each ability is one tool, except an MCP server, which is one tool
// per offered tool of the server. Every tool carries its effect, so a trigger's "read only" and
// its approval policy apply alike to an HTTP request and to an MCP server's tool.

export type ToolAbility = Pick<
  Ability,
  | "id"
  | "name"
  | "description"
  | "kind"
  | "config"
  | "secretsEnc"
  | "inputSchema"
  | "effect"
  | "tools"
>;

export type AbilityTool = {
  /** The name the model calls it by: the ability's, or `<ability>_<tool>` for an MCP tool. */
  name: string;
  description: string;
  schema: JsonSchema;
  effect: AbilityEffect;
  ability: ToolAbility;
  /** The MCP server's name for the tool; null for other kinds. */
  mcpTool: string | null;
};

/** An MCP tool as the API shows it on its ability: with the effect in force and whether offered. */
export type McpToolView = McpTool & { effect: AbilityEffect; enabled: boolean };

/** The server's own effect for a tool: read-only when it says so, else write (the safe side). */
export const annotatedEffect = (tool: Pick<McpTool, "annotations">): AbilityEffect =>
  tool.annotations?.readOnlyHint === true ? "read" : "write";

/** The server's tools with the owner's choices applied (config.tools, config.effects). */
export function mcpToolViews(ability: Pick<Ability, "config" | "tools">): McpToolView[] {
  const config = mcpConfig.partial().safeParse(ability.config);
  const chosen = config.success ? config.data.tools : undefined;
  const effects = (config.success && config.data.effects) || {};
  return (ability.tools ?? []).map((t) => ({
    ...t,
    // own keys only: a tool named `constructor` or `toString` must not read Object.prototype's
    effect: (Object.hasOwn(effects, t.name) ? effects[t.name] : undefined) ?? annotatedEffect(t),
    enabled: !t.problem && (chosen ? chosen.includes(t.name) : true),
  }));
}

/** Model tool names are [a-zA-Z0-9_-]{1,64}: a longer one keeps its start and a short hash. */
export function mcpToolName(abilityName: string, tool: string): string {
  const name = `${abilityName}_${tool}`.replace(/[^A-Za-z0-9_-]/g, "_");
  if (name.length <= 64) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${name.slice(0, 55)}_${hash}`;
}

/** Every tool the abilities give the model, before the trigger narrows them. */
export function abilityTools(abilities: ToolAbility[]): AbilityTool[] {
  const taken = new Set<string>();
  const unique = (t: AbilityTool): AbilityTool => {
    let name = t.name;
    for (let n = 2; taken.has(name); n++) name = `${t.name.slice(0, 60)}_${n}`;
    taken.add(name);
    return { ...t, name };
  };
  return abilities.flatMap((ability): AbilityTool[] => {
    if (ability.kind !== "mcp")
      return [
        {
          name: ability.name,
          description: ability.description ?? `${ability.kind} ability ${ability.name}`,
          schema: effectiveInputSchema(ability),
          effect: ability.effect,
          ability,
          mcpTool: null,
        },
      ].map(unique);
    return mcpToolViews(ability)
      .filter((t) => t.enabled)
      .map((t) => ({
        name: mcpToolName(ability.name, t.name),
        description:
          t.description ?? t.annotations?.title ?? `${t.name} (MCP server ${ability.name})`,
        schema: t.inputSchema,
        effect: t.effect,
        ability,
        mcpTool: t.name,
      }))
      .map(unique);
  });
}

/** The tools a trigger offers its bot: all, only those that read, or those of the chosen abilities. */
export function offeredTools(allowed: TriggerAbilities, tools: AbilityTool[]): AbilityTool[] {
  if (allowed === "read") return tools.filter((t) => t.effect === "read");
  if (Array.isArray(allowed)) return tools.filter((t) => allowed.includes(t.ability.id));
  return tools;
}
