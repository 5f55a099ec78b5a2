import { describe, expect, it } from "vitest";
import { compileExpression, CPU_BUDGET_MS, evaluate, INLINE_BUDGET_MS } from "@/lib/cel";
import { BUILD_LIMITS, evaluateExpression } from "./engine.mjs";

const event = (payload: unknown) => ({ payload, headers: {}, query: {}, contact: {} });
const sixteen = (v: string) => Array(16).fill(v).join(" + ");

describe("CEL in bounded time and memory", () => {
  it("refuses at save what it can: matches(), nested comprehensions, cel.bind past three levels", () => {
    const problem = (src: string) => {
      const c = compileExpression(src);
      return c.ok ? null : c.problem.message;
    };
    expect(problem('payload.a.matches("^(a+)+$")')).toContain("matches() is not available");
    expect(problem("payload.a.exists(x, payload.b.all(y, x == y))")).toContain("inside another");
    expect(
      problem("cel.bind(a, [1], cel.bind(b, a, cel.bind(c, b, cel.bind(d, c, size(d) > 0))))"),
    ).toContain("at most 3 levels");
    expect(problem("cel.bind(a, [1], cel.bind(b, a + a, cel.bind(c, b + b, size(c) > 0)))")).toBe(
      null,
    );
    expect(problem('payload.kind == "order"')).toBe(null);
  });

  it("stops sixteen-fold growth at the size cap in milliseconds", () => {
    const src = `cel.bind(a, payload.items, cel.bind(b, ${sixteen("a")}, size(${sixteen("b")}) > 0))`;
    const started = performance.now();
    const r = evaluateExpression(src, event({ items: Array(1000).fill(1) }), CPU_BUDGET_MS);
    expect(r).toEqual({
      ok: false,
      code: "size",
      message: `built a list of more than ${BUILD_LIMITS.listElements} elements`,
    });
    expect(performance.now() - started).toBeLessThan(CPU_BUDGET_MS);
  });

  it("values read from the event are not capped, only what the expression builds", () => {
    const items = Array(150_000).fill(1);
    expect(evaluateExpression("size(payload.items) > 0", event({ items }), 50)).toEqual({
      ok: true,
      value: true,
    });
    expect(evaluateExpression("size(payload.items + [1]) > 0", event({ items }), 50)).toMatchObject(
      { ok: false, code: "size" },
    );
  });

  it("stops on time, even inside exists() that would absorb a step's error", () => {
    const payload = {
      items: Array.from({ length: 40_000 }, (_, i) => `item-${i}`),
      s: "x".repeat(400_000),
    };
    const src = 'payload.items.exists(i, (payload.s + i).contains("zz"))';
    const started = performance.now();
    const r = evaluateExpression(src, event(payload), 20);
    const ms = performance.now() - started;
    expect(r).toMatchObject({ ok: false, code: "time" });
    expect(ms).toBeLessThan(200);
  });

  // That the server's own thread stays free meanwhile is measured against a running server, in
  // e2e/tenant-limits.alone.spec.ts (other tenants' events and /api/health keep their pace).
  it("a slow expression gets the rest of its budget in the worker and ends there", async () => {
    const payload = {
      items: Array.from({ length: 40_000 }, (_, i) => `item-${i}`),
      s: "x".repeat(400_000),
    };
    const src = 'payload.items.exists(i, (payload.s + i).contains("zz"))';
    const started = performance.now();
    const r = await evaluate(src, event(payload), { key: "t1" });
    expect(r).toMatchObject({ ok: false, code: "time" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(CPU_BUDGET_MS - INLINE_BUDGET_MS);
    // an ordinary expression never leaves the thread
    expect(
      await evaluate('payload.kind == "order"', event({ kind: "order" }), { key: "t2" }),
    ).toEqual({ ok: true, value: true });
  });

  it("one key's queue of slow evaluations is capped; another key is not held behind it", async () => {
    const payload = {
      items: Array.from({ length: 40_000 }, (_, i) => `item-${i}`),
      s: "x".repeat(400_000),
    };
    const src = 'payload.items.exists(i, (payload.s + i).contains("zz"))';
    const flood = Array.from({ length: 12 }, () => evaluate(src, event(payload), { key: "flood" }));
    const other = evaluate(src, event(payload), { key: "other" });
    const outcomes = await Promise.all(flood);
    expect(outcomes.filter((o) => !o.ok && o.code === "busy").length).toBeGreaterThan(0);
    expect(await other).toMatchObject({ ok: false, code: "time" });
  });
});
