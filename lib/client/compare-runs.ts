import { diffWords } from "diff";

// The original run next to a dry run: what the reply gained and lost, and which tool calls were
// added, removed or changed. Pure, so the rules are tested apart from the page.

type Call = { name: string; input: unknown };

export type CallChange<T extends Call> =
  | { kind: "same"; original: T; dry: T }
  | { kind: "changed"; original: T; dry: T }
  | { kind: "removed"; original: T; dry?: undefined }
  | { kind: "added"; dry: T; original?: undefined };

const key = (v: unknown): string =>
  JSON.stringify(v ?? {}, (_k, x: unknown) =>
    x && typeof x === "object" && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as object).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );

/**
 * Calls paired up: equal name and input first (same), then the same tool with another input
 * (changed); what is left was only in the original (removed) or only in the dry run (added).
 */
export function compareCalls<T extends Call>(original: T[], dry: T[]): CallChange<T>[] {
  const left = [...original];
  const out: CallChange<T>[] = [];
  const unpaired: T[] = [];
  for (const d of dry) {
    const i = left.findIndex((o) => o.name === d.name && key(o.input) === key(d.input));
    if (i >= 0) out.push({ kind: "same", original: left.splice(i, 1)[0], dry: d });
    else unpaired.push(d);
  }
  for (const d of unpaired) {
    const i = left.findIndex((o) => o.name === d.name);
    if (i >= 0) out.push({ kind: "changed", original: left.splice(i, 1)[0], dry: d });
    else out.push({ kind: "added", dry: d });
  }
  for (const o of left) out.push({ kind: "removed", original: o });
  return out;
}

/** The reply's words: kept, removed (only in the original) and added (only in the dry run). */
export function replyDiff(original: string, dry: string) {
  return diffWords(original, dry).map((part) => ({
    text: part.value,
    change: part.added ? ("added" as const) : part.removed ? ("removed" as const) : null,
  }));
}
