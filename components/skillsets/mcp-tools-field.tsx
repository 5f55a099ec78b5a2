"use client";
import { RefreshCwIcon } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import type { McpToolView } from "./use-skillsets";

/** One of an MCP server's tools as the form edits it. */
export type ToolChoice = {
  name: string;
  description: string | null;
  enabled: boolean;
  effect: "read" | "write";
  /** What the server's annotations say (an override is sent only when it differs). */
  annotated: "read" | "write";
  problem?: string;
};

export const toChoices = (tools: McpToolView[]): ToolChoice[] =>
  tools.map((t) => ({
    name: t.name,
    description: t.description,
    enabled: t.enabled,
    effect: t.effect,
    annotated: t.annotations?.readOnlyHint === true ? "read" : "write",
    ...(t.problem && { problem: t.problem }),
  }));

/**
 * An MCP server's tools: "Test connection" (or "Refresh tools" for a saved one) asks the server,
 * then each tool can be offered or not and its effect set (read-only tools read, the rest write).
 */
export function McpToolsField({
  id,
  tools,
  onChange,
  onDiscover,
  discovering,
  saved,
  error,
}: {
  id: string;
  tools: ToolChoice[];
  onChange: (tools: ToolChoice[]) => void;
  onDiscover: () => void;
  discovering: boolean;
  /** A saved ability refreshes from its stored URL and headers. */
  saved: boolean;
  error?: string;
}) {
  const update = (name: string, patch: Partial<ToolChoice>) =>
    onChange(tools.map((t) => (t.name === name ? { ...t, ...patch } : t)));
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2">
        <Button
          type="button"
          size="sm"
          variant="outline"
          onClick={onDiscover}
          disabled={discovering}
        >
          <RefreshCwIcon className={discovering ? "animate-spin" : undefined} />
          {saved ? "Refresh tools" : "Test connection"}
        </Button>
        <span className="text-muted-foreground text-xs" aria-live="polite">
          {discovering
            ? "Asking the server for its tools…"
            : tools.length
              ? `${tools.filter((t) => t.enabled).length} of ${tools.length} tools offered`
              : "Saving asks the server for its tools; test first to choose them."}
        </span>
      </div>
      {error && (
        <p id={`${id}-error`} role="alert" className="text-destructive text-sm">
          {error}
        </p>
      )}
      {tools.length > 0 && (
        <ul aria-label="The server's tools" className="flex flex-col gap-1">
          {tools.map((t) => (
            <li
              key={t.name}
              className="flex flex-wrap items-center gap-2 rounded border p-2 text-sm"
            >
              <label className="flex min-w-0 flex-1 items-center gap-2">
                <input
                  type="checkbox"
                  className="accent-primary size-4"
                  checked={t.enabled}
                  disabled={Boolean(t.problem)}
                  onChange={(e) => update(t.name, { enabled: e.target.checked })}
                  aria-label={`Offer ${t.name}`}
                />
                <span className="min-w-0">
                  <span className="font-mono">{t.name}</span>
                  {t.description && (
                    <span className="text-muted-foreground block truncate text-xs">
                      {t.description}
                    </span>
                  )}
                  {t.problem && (
                    <span className="text-destructive block text-xs">Not offered: {t.problem}</span>
                  )}
                </span>
              </label>
              {t.effect !== t.annotated && <Badge variant="outline">changed</Badge>}
              <Select
                value={t.effect}
                onValueChange={(e) => update(t.name, { effect: e as ToolChoice["effect"] })}
              >
                <SelectTrigger className="w-28" aria-label={`Effect of ${t.name}`}>
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  <SelectItem value="read">read</SelectItem>
                  <SelectItem value="write">write</SelectItem>
                </SelectContent>
              </Select>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
