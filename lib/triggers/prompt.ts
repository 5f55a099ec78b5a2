import { lookupPath } from "@/lib/abilities/template";

// A trigger's prompt: the user message of each run, with placeholders filled
// from the event. Pure, so the dashboard previews it with the same code.
export const MAX_PROMPT_LENGTH = 20_000;

const PLACEHOLDER = /\{\{\s*([\w.-]+)\s*\}\}/g;
const ROOTS = ["payload", "contact", "session", "trigger"] as const;

export type PromptContext = {
  payload: unknown;
  contact: { name?: string; email?: string; phone?: string } | null;
  session: string | null;
  trigger: { name: string | null };
};

/** Placeholders a prompt may use: `{{payload.a.b}}`, `{{contact.email}}`, `{{session}}`, `{{trigger.name}}`. */
export function promptPlaceholderIssue(prompt: string): string | null {
  for (const [, path] of prompt.matchAll(PLACEHOLDER)) {
    const root = path.split(".")[0];
    if (!(ROOTS as readonly string[]).includes(root))
      return `{{${path}}} is not a placeholder; use {{payload.…}}, {{contact.name|email|phone}}, {{session}} or {{trigger.name}}`;
  }
  return null;
}

/**
 * A value from the event as it goes into the owner's prompt: data, quoted and
 * escaped (a JSON literal, with < and > escaped too), so it can neither close
 * the event block nor read as the owner's own words. Numbers and booleans need
 * no quotes to stay data.
 */
export function quoteValue(value: unknown): string {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value).replaceAll("<", "\\u003c").replaceAll(">", "\\u003e");
}

/**
 * The prompt with its placeholders filled: values that came with the event
 * quoted (quoteValue), the trigger's own name as it is; a missing value
 * renders empty and is listed in `missing`.
 */
export function renderPrompt(
  prompt: string,
  ctx: PromptContext,
): { text: string; missing: string[] } {
  const missing: string[] = [];
  const text = prompt.replace(PLACEHOLDER, (_, path: string) => {
    const value = lookupPath(ctx, path);
    if (value === undefined || value === null || value === "") {
      missing.push(path);
      return "";
    }
    // the trigger's own name is the owner's words; everything else came with the event
    return path.startsWith("trigger.") ? String(value) : quoteValue(value);
  });
  return { text, missing: [...new Set(missing)] };
}
