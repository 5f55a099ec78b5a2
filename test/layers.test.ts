import { rmSync, writeFileSync } from "node:fs";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import { cycles, importGraph } from "./import-graph.mjs";
import { LAYERS } from "./layers.mjs";

describe("the layers", () => {
  it("the folder-level import graph has no cycle", () => {
    const graph = importGraph();
    const lines = [...graph]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([from, to]) => `${from} -> ${[...to.keys()].sort().join(", ")}`);
    console.log(lines.join("\n"));
    expect(cycles(graph)).toEqual([]);
    // every lib/ folder has its place in the order
    const folders = [...graph.keys()].filter((f) => f.startsWith("lib/"));
    for (const f of folders) expect(LAYERS, f).toContain(f);
  });

  it("npm run lint refuses an import that climbs, and accepts one that goes down", async () => {
    const eslint = new ESLint({ cwd: process.cwd() });
    // a real file in the tree, linted as `npm run lint` would, then removed
    const lint = async (filePath: string, code: string) => {
      writeFileSync(filePath, code);
      try {
        return (await eslint.lintFiles([filePath]))[0].messages.filter(
          (m) => m.ruleId === "import/no-restricted-paths",
        );
      } finally {
        rmSync(filePath, { force: true });
      }
    };
    // a back edge: the events domain reaching up into processing
    const back = await lint(
      "lib/events/back-edge.ts",
      'import { claimBatch } from "@/lib/processing/claim";\nexport const x = claimBatch;\n',
    );
    expect(back).toHaveLength(1);
    expect(back[0].message).toContain("lib/events sits below");
    // the foundation reaching into the database
    expect(
      await lint(
        "lib/core/back-edge.ts",
        'import { getDb } from "@/db/client";\nexport const x = getDb;\n',
      ),
    ).toHaveLength(1);
    // a domain importing the handler layer, which only app/ may use
    const http = await lint(
      "lib/triggers/back-edge.ts",
      'import { apiRoute } from "@/lib/http/route";\nexport const x = apiRoute;\n',
    );
    expect(http.map((m) => m.message).join("\n")).toContain("only app/ imports it");
    // and the right way down is fine
    expect(
      await lint(
        "lib/processing/fine.ts",
        'import { dispatchEvents } from "@/lib/jobs/dispatch";\nexport const x = dispatchEvents;\n',
      ),
    ).toEqual([]);
  }, 60_000);
});
