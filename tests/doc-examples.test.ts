// The API documentation's examples run as written: every `@example` of src/**/*.ts
// (tests/helpers/doc-examples.ts says how they are found; the guides' blocks run in
// tests/docs-guides.test.ts), one test
// each, named after its symbol and file:line. A missing or failing example fails here, not in a
// user's editor. Plus: the extractor itself, on a small text, so this file cannot pass vacuously.

import { afterAll, describe, expect, it } from "vitest";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import * as st from "../src/node.js";
import { allExamples, extractExamples, runExample } from "./helpers/doc-examples.js";
import { inScratchDir } from "./helpers/scratch-dir.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const examples = allExamples(root);

describe("the extractor", () => {
  it("finds fenced and unfenced @example blocks, and honours no-run and continued", async () => {
    const src = [
      "/**",
      " * Adds.",
      " * @example",
      " * ```ts",
      " * const y = st.tensor([1, 2]).add(1); // [2, 3]",
      " * ```",
      " * @param a not an example",
      " */",
      "export function add(a: number) {}",
      "/** @example st.zeros([2]) */",
      "export const z = 1;",
    ].join("\n");
    const found = extractExamples("src/x.ts", src);
    expect(found.map((e) => [e.symbol, e.line, e.code.trim()])).toEqual([
      ["add", 5, "const y = st.tensor([1, 2]).add(1); // [2, 3]"],
      ["z", 10, "st.zeros([2])"],
    ]);
    const chained = ["/**", " * @example", " * ```ts", " * const a = 1;", " * ```", " * ```ts no-run", " * boom();", " * ```", " * ```ts continued", " * if (a !== 1) throw new Error();", " * ```", " */", "export function f() {}"].join("\n");
    const g = extractExamples("src/g.ts", chained);
    expect(g.map((e) => [e.symbol, e.line])).toEqual([["f", 4], ["f", 10]]);
    await runExample(g[1]!, st); // `a` comes from the first block
  });

  it("a result comment with a dtype is checked against what the line computes", async () => {
    const ok = { symbol: "x", file: "x", line: 1, code: "st.tensor([1, 2]).div(2); // [0.5, 1] (float32)" };
    await runExample(ok, st);
    const wrong = { ...ok, code: "st.tensor([1, 2]).div(2); // [0.5, 2] (float32)" };
    await expect(runExample(wrong, st)).rejects.toThrow("the example's comment says [0.5, 2] (float32), the code gives [0.5, 1] (float32)");
    const wrongDtype = { ...ok, code: "st.tensor([1, 2]).mul(2); // [2, 4] (float32)" };
    await expect(runExample(wrongDtype, st)).rejects.toThrow("the code gives [2, 4] (int32)");
  });

  it("a failing example rejects, and imports from steadytensor resolve to the library", async () => {
    await expect(runExample({ symbol: "x", file: "x", line: 1, code: "st.tensor([1]).matmul(st.tensor([1, 2]));" }, st)).rejects.toThrow(st.ShapeError);
    const printed = await runExample({ symbol: "x", file: "x", line: 1, code: 'import { tensor } from "steadytensor";\nconst t: st.Tensor = tensor([1, 2]);\nconsole.log(t.sum().item());' }, st);
    expect(printed).toEqual(["3"]);
  });
});

describe("documentation examples", () => {
  // examples run in a scratch working directory (tests/helpers/scratch-dir.ts), so one may save to
  // "best/" as a user would; none may write into the repository itself
  const before = new Set(readdirSync(root));
  afterAll(() => {
    expect(readdirSync(root).filter((n) => !before.has(n))).toEqual([]);
  });
  it("there are examples to run", () => {
    expect(examples.length).toBeGreaterThan(500);
  });
  for (const ex of examples) {
    it(`${ex.symbol} (${ex.file}:${ex.line})`, async () => {
      st.manualSeed(0);
      await inScratchDir(root, () => runExample(ex, st, root));
    });
  }
});
