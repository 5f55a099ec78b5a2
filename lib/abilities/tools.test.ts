import { describe, expect, it } from "vitest";
import type { McpTool } from "@/db/schema";
import { approvalNeeded } from "@/lib/processing/tools";
import { abilityTools, mcpToolName, mcpToolViews, offeredTools, type ToolAbility } from "./tools";

const tool = (name: string, readOnly?: boolean): McpTool => ({
  name,
  description: null,
  inputSchema: { type: "object", properties: { id: { type: "string" } } },
  annotations: readOnly === undefined ? null : { readOnlyHint: readOnly },
});

const ability = (over: Partial<ToolAbility>): ToolAbility => ({
  id: "ability_1",
  name: "shop",
  description: null,
  kind: "mcp",
  config: { url: "https://mcp.example.com/mcp" },
  secretsEnc: null,
  inputSchema: null,
  effect: "write",
  tools: null,
  ...over,
});

describe("the tools a bot is offered", () => {
  it("an MCP server is one tool per offered tool, named <ability>_<tool>, with the server's schema", () => {
    const server = ability({ tools: [tool("lookup", true), tool("cancel", false), tool("misc")] });
    const tools = abilityTools([server]);
    expect(tools.map((t) => [t.name, t.effect, t.mcpTool])).toEqual([
      ["shop_lookup", "read", "lookup"],
      ["shop_cancel", "write", "cancel"],
      ["shop_misc", "write", "misc"],
    ]);
    expect(tools[0].schema).toEqual(tool("lookup").inputSchema);
  });

  it("config.tools narrows, config.effects overrides, a tool with a problem is never offered", () => {
    const server = ability({
      config: {
        url: "https://mcp.example.com/mcp",
        tools: ["lookup", "cancel"],
        effects: { cancel: "read" },
      },
      tools: [tool("lookup", true), tool("cancel", false), { ...tool("bad"), problem: "x" }],
    });
    expect(mcpToolViews(server).map((t) => [t.name, t.enabled, t.effect])).toEqual([
      ["lookup", true, "read"],
      ["cancel", true, "read"],
      ["bad", false, "write"],
    ]);
    expect(abilityTools([server]).map((t) => t.name)).toEqual(["shop_lookup", "shop_cancel"]);
  });

  it("a tool named like an object's own property (constructor, toString, __proto__) keeps the server's effect", () => {
    const names = ["constructor", "toString", "valueOf", "__proto__", "hasOwnProperty"];
    const server = ability({
      tools: names.map((n) => tool(n, false)),
      config: { url: "https://mcp.example.com/mcp", effects: { valueOf: "read" } },
    });
    expect(mcpToolViews(server).map((t) => [t.name, t.effect])).toEqual([
      ["constructor", "write"],
      ["toString", "write"],
      ["valueOf", "read"],
      ["__proto__", "write"],
      ["hasOwnProperty", "write"],
    ]);
    expect(approvalNeeded("write", "write")).toBe(true);
    expect(approvalNeeded("write", "read")).toBe(false);
    // an effect that is neither (it cannot be typed, but data can hold it) needs approval
    expect(approvalNeeded("write", undefined as unknown as "write")).toBe(true);
  });

  it("a trigger's 'read' offers read tools of every kind; a list offers the chosen abilities' tools", () => {
    const server = ability({ tools: [tool("lookup", true), tool("cancel", false)] });
    const http = ability({
      id: "ability_2",
      name: "refund",
      kind: "http_request",
      config: { method: "POST", url: "https://shop.example.com/r" },
      effect: "write",
    });
    const all = abilityTools([server, http]);
    expect(offeredTools("read", all).map((t) => t.name)).toEqual(["shop_lookup"]);
    expect(offeredTools(["ability_2"], all).map((t) => t.name)).toEqual(["refund"]);
    expect(offeredTools("all", all)).toHaveLength(3);
  });

  it("names stay within what models accept, and unique", () => {
    const long = mcpToolName("a".repeat(40), "b".repeat(40));
    expect(long).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(mcpToolName("gh", "repos/list.all")).toBe("gh_repos_list_all");
    const clash = abilityTools([
      ability({ id: "x", name: "gh_issues", kind: "webhook", config: { url: "https://e.x" } }),
      ability({ id: "y", name: "gh", tools: [tool("issues")] }),
    ]);
    expect(new Set(clash.map((t) => t.name)).size).toBe(2);
  });
});
