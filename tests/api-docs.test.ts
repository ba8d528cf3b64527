// The API reference builds without warnings: every exported symbol (functions, classes and their
// members, Tensor's methods, interfaces and their properties) has documentation, and every
// {@link} resolves. It runs TypeDoc's conversion and validation as `npm run docs` does (same
// typedoc.json) but writes nothing (`--emit none`), so it takes seconds, not the full HTML build.

import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

describe("API documentation (TypeDoc)", () => {
  it("every exported symbol is documented and the docs build without warnings", () => {
    const run = spawnSync(process.execPath, [join(root, "node_modules/typedoc/bin/typedoc"), "--emit", "none"], {
      cwd: root, encoding: "utf8", timeout: 110_000,
    });
    // eslint-disable-next-line no-control-regex
    const out = `${run.stdout}\n${run.stderr}`.replace(/\x1b\[[0-9;]*m/g, "");
    const problems = out.split("\n").filter((l) => /\[(warning|error)\]/.test(l) && !/Found \d+ errors and \d+ warnings/.test(l));
    const missing = problems.filter((l) => l.includes("does not have any documentation"));
    // names the symbols, so the failure says what to document
    expect(missing, `undocumented exported symbols:\n${missing.join("\n")}`).toEqual([]);
    expect(problems, `TypeDoc warnings:\n${problems.join("\n")}`).toEqual([]);
    expect(run.status, out.slice(-2000)).toBe(0);
  }, 120_000);
});
