import { describe, expect, it } from "vitest";
import { jsonStringContent, renderTemplate, renderUrl, splitUrlTemplate } from "./template";

describe("renderTemplate", () => {
  const scope = {
    input: { id: "a/b c" },
    event: { payload: { n: 3, who: { name: 'Ann "A"' } }, text: "hi" },
  };
  it("fills paths, renders objects as JSON and missing values as empty", () => {
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
    expect(renderTemplate("{{nope.x}}|{{input.__proto__}}|{{input.constructor}}", scope)).toBe(
      "||",
    );
  });
});

describe("URL templates keep their origin", () => {
  const render = (template: string, input: Record<string, unknown>) => {
    const { origin, path } = renderUrl(template, { input, event: {} });
    return `${origin.origin}${path}`;
  };

  it("refuses placeholders in scheme, host or port at save time", () => {
    for (const t of [
      "https://{{input.host}}/x",
      "https://api.{{input.tenant}}.example.com/x",
      "https://example.com:{{input.port}}/x",
      "{{input.url}}",
      "https://user:pass@example.com/x",
    ])
      expect(splitUrlTemplate(t).ok, t).toBe(false);
    expect(splitUrlTemplate("https://shop.example.com/orders/{{input.id}}?q={{input.q}}").ok).toBe(
      true,
    );
  });

  it("percent-encodes every value, dots included, so a value cannot walk the path or change the host", () => {
    const t = "https://shop.example.com/orders/{{input.id}}/items?q={{input.q}}";
    expect(render(t, { id: "42", q: "a b" })).toBe(
      "https://shop.example.com/orders/42/items?q=a%20b",
    );
    expect(render(t, { id: "..", q: "" })).toBe("https://shop.example.com/orders/%2E%2E/items?q=");
    expect(render(t, { id: "../../admin", q: "x" })).toBe(
      "https://shop.example.com/orders/%2E%2E%2F%2E%2E%2Fadmin/items?q=x",
    );
    expect(render(t, { id: "@evil.com", q: "x&admin=1#frag" })).toBe(
      "https://shop.example.com/orders/%40evil%2Ecom/items?q=x%26admin%3D1%23frag",
    );
    const { origin } = renderUrl("https://shop.example.com/{{input.id}}", {
      input: { id: "//evil.com/x" },
      event: {},
    });
    expect(origin.host).toBe("shop.example.com");
  });
});
