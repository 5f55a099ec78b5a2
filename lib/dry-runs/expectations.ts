import { RE2JS } from "re2js";
import type { Expectation, ExpectationResult } from "@/db/schema";

// Whether a dry run did what a test case expects: pure, so the rules are tested on their own.

type Outcome = {
  status: "completed" | "failed";
  reply: string | null;
  error: string | null;
  toolCalls: { name: string; input: unknown }[];
};

const same = (a: unknown, b: unknown) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
const sorted = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(sorted)
    : v && typeof v === "object"
      ? Object.fromEntries(
          Object.entries(v as object)
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([k, x]) => [k, sorted(x)]),
        )
      : v;

/** A call whose input has every expected field with an equal value (other fields may be anything). */
const fits = (input: unknown, fields: Record<string, unknown> | undefined) =>
  !fields ||
  (!!input &&
    typeof input === "object" &&
    Object.entries(fields).every(([k, v]) => same((input as Record<string, unknown>)[k], v)));

/** Each expectation with whether it held and a sentence saying what was seen. */
export function checkExpectations(expectations: Expectation[], run: Outcome): ExpectationResult[] {
  return expectations.map((e) => {
    if (run.status === "failed")
      return { ...e, passed: false, detail: `The dry run failed: ${run.error ?? "no reason"}` };
    const reply = run.reply ?? "";
    const calls = run.toolCalls;
    switch (e.type) {
      case "reply_contains": {
        const passed = reply.toLowerCase().includes(e.value.toLowerCase());
        return { ...e, passed, detail: passed ? "The reply contains it" : "Not in the reply" };
      }
      case "reply_not_contains": {
        const passed = !reply.toLowerCase().includes(e.value.toLowerCase());
        return { ...e, passed, detail: passed ? "Not in the reply" : "The reply contains it" };
      }
      case "reply_matches": {
        const passed = RE2JS.compile(e.pattern).matcher(reply).find();
        return {
          ...e,
          passed,
          detail: passed ? "The reply matches" : "The reply does not match",
        };
      }
      case "tool_called": {
        const named = calls.filter((c) => c.name === e.tool);
        const passed = named.some((c) => fits(c.input, e.input));
        return {
          ...e,
          passed,
          detail: passed
            ? `Called ${named.length} time${named.length === 1 ? "" : "s"}`
            : named.length
              ? `Called ${named.length} time${named.length === 1 ? "" : "s"}, never with those input fields`
              : `Not called (calls: ${calls.map((c) => c.name).join(", ") || "none"})`,
        };
      }
      case "tool_not_called": {
        const n = calls.filter((c) => c.name === e.tool).length;
        return {
          ...e,
          passed: n === 0,
          detail: n === 0 ? "Not called" : `Called ${n} time${n === 1 ? "" : "s"}`,
        };
      }
    }
  });
}
