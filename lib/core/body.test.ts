import { describe, expect, it } from "vitest";
import { isStorableJson, isStorableText, storableJson, storableText } from "./body";

describe("text from outside made storable", () => {
  it("NUL and unpaired surrogates become U+FFFD; a cut never leaves half a character", () => {
    expect(storableText("a\u0000b")).toBe("a\uFFFDb");
    expect(storableText("x\ud83d")).toBe("x\uFFFD");
    expect(storableText("plain")).toBe("plain");
    // "😀" is two UTF-16 units: cut after the first, it is replaced, not kept half
    expect(storableText("ab😀", 3)).toBe("ab\uFFFD");
    expect(storableText("ab😀", 4)).toBe("ab😀");
    for (const s of ["a\u0000b", "x\ud83d", "ab😀".slice(0, 3)])
      expect(isStorableText(storableText(s))).toBe(true);
  });

  it("every string of a JSON value, keys included; deeper than 64 levels is cut off", () => {
    const value = { "k\u0000": ["v\u0000", { n: 1, t: true, z: null, s: "\udc00" }] };
    const stored = storableJson(value);
    expect(stored).toEqual({ "k\uFFFD": ["v\uFFFD", { n: 1, t: true, z: null, s: "\uFFFD" }] });
    expect(isStorableJson(stored)).toBe(true);
    let deep: unknown = "bottom";
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(isStorableJson(storableJson(deep))).toBe(true);
    // own keys only, as data: a "__proto__" key stays a key and changes no prototype
    const proto = storableJson(JSON.parse('{"__proto__":{"polluted":true}}')) as object;
    expect(Object.keys(proto)).toEqual(["__proto__"]);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});
