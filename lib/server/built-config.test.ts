import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// The preload `npm start` gives Node (built-config.mjs), run as npm runs it: before a script
// named `next`, from a project folder. The server itself is checked in e2e/one-box.spec.ts.
const preload = path.resolve(__dirname, "built-config.mjs");
const dir = mkdtempSync(path.join(os.tmpdir(), "trigdash-built-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const VARIABLE = "__NEXT_PRIVATE_STANDALONE_CONFIG";
const withoutVariable = { ...process.env };
delete withoutVariable[VARIABLE];
writeFileSync(
  path.join(dir, "next"),
  `process.stdout.write(process.env.${VARIABLE} ?? "unset");\n`,
);

function run(project: string, command: string, env: Record<string, string> = {}) {
  const result = spawnSync(
    process.execPath,
    ["--import", preload, path.join(dir, "next"), command],
    {
      cwd: project,
      env: { ...withoutVariable, ...env },
      encoding: "utf8",
    },
  );
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return result.stdout;
}

function project(name: string, requiredServerFiles?: string) {
  const folder = path.join(dir, name);
  mkdirSync(path.join(folder, ".next"), { recursive: true });
  if (requiredServerFiles !== undefined)
    writeFileSync(path.join(folder, ".next", "required-server-files.json"), requiredServerFiles);
  return folder;
}

describe("npm start's built-config preload", () => {
  const built = project(
    "built",
    JSON.stringify({ version: 1, config: { poweredByHeader: false, distDir: ".next" } }),
  );

  it("hands `next start` the configuration the build recorded", () => {
    expect(JSON.parse(run(built, "start"))).toEqual({ poweredByHeader: false, distDir: ".next" });
  });

  it("does nothing for another command, without a build, with an unreadable one, or when the variable is set", () => {
    expect(run(built, "build")).toBe("unset");
    expect(run(built, "dev")).toBe("unset");
    expect(run(project("unbuilt"), "start")).toBe("unset");
    expect(run(project("torn", '{"config": {'), "start")).toBe("unset");
    expect(run(project("no-config", '{"version": 1}'), "start")).toBe("unset");
    expect(run(built, "start", { [VARIABLE]: '{"set":"before"}' })).toBe('{"set":"before"}');
  });
});
