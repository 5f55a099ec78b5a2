import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return routeFiles(full);
    return entry === "route.ts" ? [full] : [];
  });
}

describe("OpenAPI document", () => {
  it("is OpenAPI 3.1 and covers every route file under app/api/v1", () => {
    const doc = openApiDocument() as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe("3.1.0");
    const root = path.join(process.cwd(), "app/api/v1");
    const expected = routeFiles(root)
      .map((f) => "/" + path.relative(root, path.dirname(f)).split(path.sep).join("/"))
      .filter((p) => !p.includes("[..."))
      .map((p) => p.replace(/\[(\w+)\]/g, "{$1}"));
    expect(expected.length).toBeGreaterThan(30);
    for (const p of expected) expect(Object.keys(doc.paths), `missing ${p}`).toContain(p);
  });

  it("describes request bodies from the zod schemas the routes parse", () => {
    const doc = openApiDocument() as any; // eslint-disable-line @typescript-eslint/no-explicit-any -- walking a JSON document
    const create =
      doc.paths["/integration/trigger/create"].post.requestBody.content["application/json"].schema;
    expect(create.required).toContain("botId");
    expect(Object.keys(create.properties)).toEqual(
      expect.arrayContaining([
        "name",
        "botId",
        "authenticate",
        "triggerSchedule",
        "schedule",
        "timezone",
        "sessionDuration",
        "meta",
      ]),
    );
  });
});
