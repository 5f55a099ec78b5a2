import { describe, expect, it } from "vitest";
import { recordedAnswers } from "@/lib/processing/tools";
import { checkExpectations } from "./expectations";

const run = (reply: string, toolCalls: { name: string; input: unknown }[] = []) => ({
  status: "completed" as const,
  reply,
  error: null,
  toolCalls,
});

describe("test case expectations", () => {
  it("checks the reply in any case, by RE2 pattern, and for absence", () => {
    const r = checkExpectations(
      [
        { type: "reply_contains", value: "REFUNDED" },
        { type: "reply_not_contains", value: "sorry" },
        { type: "reply_matches", pattern: "order [A-Z]-\\d+" },
        { type: "reply_matches", pattern: "^Sorry" },
      ],
      run("Refunded order A-17"),
    );
    expect(r.map((e) => e.passed)).toEqual([true, true, true, false]);
    expect(r[3].detail).toBe("The reply does not match");
  });

  it("checks tool calls by name and by the input fields given, other fields free", () => {
    const calls = [
      { name: "refund", input: { order: "A-1", amount: 10, meta: { via: "x", n: 1 } } },
      { name: "lookup", input: { id: "A-1" } },
    ];
    const r = checkExpectations(
      [
        { type: "tool_called", tool: "refund" },
        { type: "tool_called", tool: "refund", input: { order: "A-1" } },
        { type: "tool_called", tool: "refund", input: { meta: { n: 1, via: "x" } } },
        { type: "tool_called", tool: "refund", input: { order: "B-2" } },
        { type: "tool_called", tool: "escalate" },
        { type: "tool_not_called", tool: "escalate" },
        { type: "tool_not_called", tool: "lookup" },
      ],
      run("done", calls),
    );
    expect(r.map((e) => e.passed)).toEqual([true, true, true, false, false, true, false]);
    expect(r[3].detail).toContain("never with those input fields");
    expect(r[4].detail).toBe("Not called (calls: refund, lookup)");
    expect(r[6].detail).toBe("Called 1 time");
  });

  it("fails every expectation of a dry run that failed, with its error", () => {
    const r = checkExpectations([{ type: "tool_not_called", tool: "refund" }], {
      status: "failed",
      reply: null,
      error: "model unreachable",
      toolCalls: [],
    });
    expect(r[0]).toMatchObject({ passed: false, detail: "The dry run failed: model unreachable" });
  });
});

describe("recorded answers", () => {
  it("match by tool name and input whatever the key order, each used once while another matches", () => {
    const answer = recordedAnswers([
      { name: "lookup", input: { id: 1, full: true }, output: "first" },
      { name: "lookup", input: { full: true, id: 1 }, output: "second" },
      { name: "refund", input: { id: 1 }, error: "declined" },
    ]);
    expect(answer("lookup", { full: true, id: 1 })?.output).toBe("first");
    expect(answer("lookup", { id: 1, full: true })?.output).toBe("second");
    // asked more often than the original run did: the last answer again
    expect(answer("lookup", { id: 1, full: true })?.output).toBe("second");
    expect(answer("refund", { id: 1 })?.error).toBe("declined");
    expect(answer("refund", { id: 2 })).toBeNull();
    expect(answer("lookup", { id: 1 })).toBeNull();
  });
});
