// The @example blocks of the toolbox's JSDoc (issue 15) run: each ```ts block after an @example
// in the toolbox's source files is executed with `st` in scope, and must not throw. Comments
// such as `// [1, 3, 6]` are checked where an example line is a single expression with one.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { Tensor } from "../src/index.js";

const FILES = [
  "ops/trig.ts", "ops/cumulative.ts", "ops/sorting.ts", "ops/scatter.ts", "ops/diag.ts", "ops/einsum.ts", "ops/any-all.ts",
  "ops/flip.ts", "ops/mm.ts", "ops/grids.ts", "ops/select.ts", "ops/selection.ts", "ops/multinomial.ts", "ops/methods-toolbox.ts",
  "ops/methods-toolbox-index.ts",
  "numerics/methods-allclose.ts",
];

/** The ```ts blocks that follow an @example tag, with the JSDoc `*` margins removed. */
function examples(file: string): string[] {
  const text = readFileSync(fileURLToPath(new URL(`../src/${file}`, import.meta.url)), "utf8");
  const out: string[] = [];
  const re = /@example\s*\n\s*\*\s*```ts\n([\s\S]*?)\n\s*\*\s*```/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1]!.split("\n").map((l) => l.replace(/^\s*\* ?/, "")).join("\n"));
  return out;
}

/** Numbers in a comment like `// [1, 3, 6]` or `// 2.5` (π and "e.g." comments are not checked). */
function expectedOf(comment: string): number[] | null {
  if (/e\.g\.|π|…|shape|every|entries|of |tensor\(/.test(comment)) return null;
  const nums = comment.match(/-?\d+(\.\d+)?(e-?\d+)?|true|false/g);
  if (!nums || !/^[\s[\]\d.,\-etruefals]+$/.test(comment.trim())) return null;
  return nums.map((n) => (n === "true" ? 1 : n === "false" ? 0 : Number(n)));
}

const flat = (v: unknown): number[] | null => {
  if (v instanceof Tensor) return Array.from(v.dataSync(), Number);
  if (typeof v === "number") return [v];
  if (typeof v === "boolean") return [v ? 1 : 0];
  return null;
};

describe("toolbox JSDoc examples", () => {
  for (const file of FILES) {
    const blocks = examples(file);
    it(`${file} has examples`, () => expect(blocks.length).toBeGreaterThan(0));
    blocks.forEach((code, k) => {
      it(`${file} example ${k + 1} runs`, () => {
        st.manualSeed(0);
        const run = new Function("st", code);
        expect(() => run(st)).not.toThrow();
        // single-expression lines with a value comment: the value must match
        const lines = code.split("\n");
        lines.forEach((line, at) => {
          const m = /^(st\.[^;]*?)\s*\/\/\s*(.+)$/.exec(line.trim());
          if (!m) return;
          const want = expectedOf(m[2]!);
          if (!want) return;
          // the lines before it define what it uses
          const got = flat(new Function("st", `${lines.slice(0, at).join("\n")}\nreturn (${m[1]});`)(st));
          if (!got) return;
          expect(got.length, `${line}`).toBe(want.length);
          got.forEach((g, i) => expect(Math.abs(g - want[i]!) <= 1e-4 * Math.max(1, Math.abs(want[i]!)), `${line}: got [${got.join(", ")}]`).toBe(true));
        });
      });
    });
  }
});
