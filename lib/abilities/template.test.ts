import { describe, expect, it } from "vitest";
import { jsonStringContent, renderTemplate } from "./template";

describe("renderTemplate", () => {
  const scope = {
    input: { id: "a/b c" },
    event: { payload: { n: 3, who: { name: 'Ann "A"' } }, text: "hi" },
  };
  it("fills paths, encodes values, renders objects as JSON and missing values as empty", () => {
    expect(
      renderTemplate("https://x/{{input.id}}?q={{event.text}}", scope, encodeURIComponent),
    ).toBe("https://x/a%2Fb%20c?q=hi");
    expect(
      renderTemplate(
        '{"name":"{{event.payload.who.name}}","n":{{event.payload.n}}}',
        scope,
        jsonStringContent,
      ),
    ).toBe('{"name":"Ann \\"A\\"","n":3}');
    expect(
      JSON.parse(renderTemplate('{"who":"{{event.payload.who}}"}', scope, jsonStringContent)),
    ).toEqual({ who: '{"name":"Ann \\"A\\""}' });
    expect(renderTemplate("{{nope.x}}|{{input.__proto__}}", scope)).toBe("|");
  });
});
