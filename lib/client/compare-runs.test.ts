import { describe, expect, it } from "vitest";
import { compareCalls, replyDiff } from "./compare-runs";

describe("comparing a dry run with its original", () => {
  it("pairs equal calls first, then the same tool with another input, and names the rest", () => {
    const original = [
      { name: "lookup", input: { id: 1 } },
      { name: "refund", input: { amount: 10, order: "A" } },
      { name: "notify", input: {} },
    ];
    const dry = [
      { name: "refund", input: { order: "A", amount: 5 } },
      { name: "lookup", input: { id: 1 } },
      { name: "escalate", input: {} },
    ];
    const changes = compareCalls(original, dry).map((c) => [c.kind, (c.dry ?? c.original).name]);
    expect(changes).toEqual([
      ["same", "lookup"],
      ["changed", "refund"],
      ["added", "escalate"],
      ["removed", "notify"],
    ]);
  });

  it("treats inputs with the same fields in another order as equal", () => {
    const [c] = compareCalls(
      [{ name: "a", input: { x: 1, y: 2 } }],
      [{ name: "a", input: { y: 2, x: 1 } }],
    );
    expect(c.kind).toBe("same");
  });

  it("marks the words the reply lost and gained", () => {
    const parts = replyDiff("Refunded order A", "Escalated order A");
    expect(parts.filter((p) => p.change === "removed").map((p) => p.text.trim())).toEqual([
      "Refunded",
    ]);
    expect(parts.filter((p) => p.change === "added").map((p) => p.text.trim())).toEqual([
      "Escalated",
    ]);
    expect(
      parts
        .filter((p) => !p.change)
        .map((p) => p.text)
        .join(""),
    ).toContain("order A");
  });
});
