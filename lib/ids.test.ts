import { describe, expect, it } from "vitest";
import { looksLikeId, newId } from "./ids";

describe("newId", () => {
  it("is prefixed and sorts in creation order, also within one millisecond", () => {
    const ids = Array.from({ length: 2000 }, () => newId("trigger"));
    expect(ids.every((id) => looksLikeId("trigger", id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("rejects other prefixes and shapes", () => {
    expect(looksLikeId("bot", newId("trigger"))).toBe(false);
    expect(looksLikeId("trigger", "trigger_../../etc")).toBe(false);
  });
});
