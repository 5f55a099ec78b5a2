import { describe, expect, it } from "vitest";
import { looksLikeId, newId } from "./ids";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** The 80 random bits of an id, as a bit string. */
const randomBits = (id: string) =>
  [...id.slice(-16)].map((c) => ALPHABET.indexOf(c).toString(2).padStart(5, "0")).join("");

describe("newId", () => {
  it("is prefixed and sorts in creation order, also within one millisecond", () => {
    const ids = Array.from({ length: 2000 }, () => newId("trigger"));
    expect(ids.every((id) => looksLikeId("trigger", id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("sorts after every id of the earlier millisecond-based format", () => {
    // an id made by the first release on 2026-11-28
    expect(newId("event") > "event_01M8HACVZPQF03FSX3FHZJ5D8X").toBe(true);
  });

  it("cannot be guessed from the previous one: 80 fresh random bits, never an increment", () => {
    const ids = Array.from({ length: 2000 }, () => newId("trigger"));
    let distanceSum = 0;
    for (let i = 1; i < ids.length; i++) {
      const a = randomBits(ids[i - 1]);
      const b = randomBits(ids[i]);
      let distance = 0;
      for (let k = 0; k < 80; k++) if (a[k] !== b[k]) distance++;
      // an increment changes a few low bits; independent draws differ in ~40 of 80
      expect(distance).toBeGreaterThan(10);
      distanceSum += distance;
    }
    const mean = distanceSum / (ids.length - 1);
    expect(mean).toBeGreaterThan(36);
    expect(mean).toBeLessThan(44);
    // every bit position is set about half the time (a counter would leave the high bits fixed)
    for (let k = 0; k < 80; k++) {
      const ones = ids.filter((id) => randomBits(id)[k] === "1").length;
      expect(ones / ids.length).toBeGreaterThan(0.4);
      expect(ones / ids.length).toBeLessThan(0.6);
    }
  });

  it("rejects other prefixes and shapes", () => {
    expect(looksLikeId("bot", newId("trigger"))).toBe(false);
    expect(looksLikeId("trigger", "trigger_../../etc")).toBe(false);
  });
});
