import { describe, expect, it } from "vitest";
import { parseEventBody } from "./body";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("event bodies", () => {
  it("JSON is stored parsed; +json types too; an empty body is null", () => {
    expect(parseEventBody(bytes('{"a":[1,2]}'), "application/json; charset=utf-8")).toEqual({
      payload: { a: [1, 2] },
      contentType: "application/json",
    });
    expect(parseEventBody(bytes("[1]"), "application/cloudevents+json").payload).toEqual([1]);
    expect(parseEventBody(new Uint8Array(), "application/json")).toEqual({
      payload: null,
      contentType: "application/json",
    });
  });

  it("malformed JSON is a 400 that says where, never quoting the body", () => {
    expect(() => parseEventBody(bytes('{"secret": "hunter2"'), "application/json")).toThrow(
      /^Malformed JSON body: (it ends before the value is complete|the problem is at character \d+)$/,
    );
    try {
      parseEventBody(bytes('{"secret": hunter2}'), "application/json");
    } catch (error) {
      expect(String((error as Error).message)).not.toContain("hunter2");
      expect(error).toMatchObject({ code: "BAD_REQUEST" });
    }
  });

  it("forms become objects (repeated fields as lists, __proto__ kept as a field); curl's JSON-as-form is JSON", () => {
    expect(
      parseEventBody(bytes("a=1&b=two&a=3&__proto__=x"), "application/x-www-form-urlencoded"),
    ).toEqual({
      payload: { a: ["1", "3"], b: "two", ["__proto__"]: "x" },
      contentType: "application/x-www-form-urlencoded",
    });
    expect(parseEventBody(bytes('{"a":1}'), "application/x-www-form-urlencoded")).toEqual({
      payload: { a: 1 },
      contentType: "application/json",
    });
    // a form that only looks like JSON stays a form
    expect(parseEventBody(bytes("{a=1}"), "application/x-www-form-urlencoded").payload).toEqual({
      "{a": "1}",
    });
  });

  it("a form repeating one field many times is read in one pass (it was quadratic)", () => {
    const text = Array.from({ length: 200_000 }, (_, i) => `a=${i}`).join("&");
    const { payload } = parseEventBody(bytes(text), "application/x-www-form-urlencoded");
    const a = (payload as { a: string[] }).a;
    expect(a).toHaveLength(200_000);
    expect([a[0], a[199_999]]).toEqual(["0", "199999"]);
  });

  it("text and XML stay text; what PostgreSQL cannot hold (NUL, broken UTF-8) is kept as base64", () => {
    expect(parseEventBody(bytes("<a>1</a>"), "application/xml")).toEqual({
      payload: "<a>1</a>",
      contentType: "application/xml",
    });
    const nul = parseEventBody(bytes("a\u0000b"), "text/plain");
    expect(nul).toEqual({ payload: { base64: "YQBi" }, contentType: "text/plain" });
    const broken = parseEventBody(new Uint8Array([0xff, 0xfe, 0x41]), null);
    expect(broken).toEqual({
      payload: { base64: "//5B" },
      contentType: "application/octet-stream",
    });
    // JSON with a NUL inside a string cannot be jsonb either
    expect(parseEventBody(bytes('{"a":"\\u0000"}'), "application/json").payload).toEqual({
      base64: Buffer.from('{"a":"\\u0000"}').toString("base64"),
    });
  });
});
