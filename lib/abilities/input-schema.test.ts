import { describe, expect, it } from "vitest";
import { deriveInputSchema, inputProblem, inputSchemaIssues } from "./input-schema";

describe("tool input schemas", () => {
  it("derives required string inputs from the templates", () => {
    expect(deriveInputSchema({ url: "https://x.test/{{input.id}}?q={{ input.q }}" })).toEqual({
      type: "object",
      properties: {
        id: { type: "string", description: "Fills {{input.id}}" },
        q: { type: "string", description: "Fills {{input.q}}" },
      },
      required: ["id", "q"],
    });
  });

  it("runs patterns in linear time: a catastrophic one answers at once", () => {
    const schema = {
      type: "object",
      properties: { code: { type: "string", pattern: "^(a+)+$" } },
      patternProperties: { "^(x+x+)+y$": { type: "number" } },
    };
    expect(inputSchemaIssues(schema)).toEqual([]);
    const started = performance.now();
    expect(inputProblem(schema, { code: `${"a".repeat(100_000)}!` })).toContain(
      "must match pattern",
    );
    expect(inputProblem(schema, { [`${"x".repeat(50_000)}z`]: 1 })).toBeNull();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(inputProblem(schema, { code: "aaa" })).toBeNull();
  });

  it("refuses a pattern the linear engine cannot run, naming why", () => {
    const issues = inputSchemaIssues({
      type: "object",
      properties: { a: { type: "string", pattern: "(?<=x)y" } },
    });
    expect(issues).toHaveLength(1);
    expect(issues[0].message).toContain("patterns run in linear time");
  });
});
