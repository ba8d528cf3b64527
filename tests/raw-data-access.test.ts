// Storage behind the backend (issue 10, item 4): code outside src/core/ and src/backend/ must read
// and write tensor values only through tensor methods and ops, never a raw typed array. The
// scanner is tested on snippets first (it must fire on each kind of access and stay silent on
// clean code, comments and messages), then run over the real tree with no allow-list.

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { blankCommentsAndStrings, formatHits, scanSource, scanTree } from "./helpers/raw-data-scan.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

const lines = (src: string) => scanSource("snippet.ts", src).map((h) => h.line);

describe("the raw-data scanner", () => {
  it.each([
    ["reading _data", "const d = t._data;"],
    ["writing through _data", "  w._data[i] = 0;"],
    ["_data by index", 'const d = t["_data"];'],
    ["optional chain on _data", "const d = t?._data;"],
    ["the storage field", "t._s.version++;"],
    ["the storage's array", "const d = x._s.data;"],
    ["wrapping a raw array", 'return Tensor._fromData(arr, [2], "float32");'],
    ["importing Storage", 'import { Storage } from "../core/storage.js";'],
    ["a dynamic import of core/storage", 'const m = await import("../../core/storage.js");'],
    ["opening a shared storage handle", "const d = shareStorage(t).data;"],
    ["a storage variable's data", "const d = storage.data;"],
    ["_data inside a template expression", "const s = `values ${t._data.join(\", \")}`;"],
  ])("finds %s", (_what, code) => {
    const hits = scanSource("bad.ts", `// a file\n${code}\n`);
    expect(hits.map((h) => h.line)).toEqual([2]);
    expect(formatHits(hits)).toMatch(/^bad\.ts:2 {2}\[/);
  });

  it.each([
    ["tensor methods", "const d = t.dataSync(); const v = t.item(); const a = t.toArray();"],
    ["st.tensor from a typed array", 'const m = st.tensor(mask, { shape: x.shape, dtype: "float32" });'],
    ["similar identifiers", "const my_data = 1; const raw_s = 2; obj.rawData = 3; x._shape; x.__data;"],
    ["an async read", "const d = await t.data();"],
    ["passing a shared handle on", "super(shareStorage(data), data.shape.slice(), data.dtype);"],
    ["a line comment", "const a = 1; // t._data would be raw access"],
    ["a block comment", "/* never t._s.data or Tensor._fromData */ const b = 2;"],
    ["a string", 'throw new Error("do not read t._data or _fromData");'],
    ["an index in a string", 'const hint = "write t[\'_data\'] nowhere";'],
    ["a template's text", "const m = `use dataSync(), not ._data or storage.data`;"],
    ["an import mentioned in a comment", '// import { Storage } from "../core/storage.js" was removed'],
  ])("stays silent on %s", (_what, code) => {
    expect(lines(`${code}\n`)).toEqual([]);
  });

  it("keeps line numbers through multi-line comments and templates", () => {
    const src = ["/*", " * t._data", " */", "const s = `a", "${x._s}", "b`;", "const d = t._data;"].join("\n");
    expect(lines(src)).toEqual([5, 7]);
    expect(blankCommentsAndStrings(src).split("\n")).toHaveLength(7);
  });

  it("scans files on disk: a deliberate violation under src/ is reported with file:line", async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const root = mkdtempSync(join(tmpdir(), "raw-scan-"));
    try {
      for (const d of ["src/nn", "src/core", "src/backend/js"]) mkdirSync(join(root, d), { recursive: true });
      writeFileSync(join(root, "src/nn/bad.ts"), "// fine\nexport const f = (t: any) => t._data[0];\n");
      writeFileSync(join(root, "src/nn/good.ts"), "export const g = (t: any) => t.item();\n");
      writeFileSync(join(root, "src/core/tensor.ts"), "export const h = (t: any) => t._s.data;\n"); // allowed
      writeFileSync(join(root, "src/backend/js/k.ts"), "export const k = (t: any) => t._data;\n"); // allowed
      const hits = scanTree(root);
      expect(hits.map((h) => `${h.file}:${h.line}`)).toEqual(["src/nn/bad.ts:2"]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("the source tree", () => {
  it("touches no raw storage outside src/core/ and src/backend/", () => {
    const hits = scanTree(ROOT);
    expect(hits, `raw storage access outside core/ and backend/ (use tensor methods, ops, st.tensor(typedArray, {shape, dtype})):\n${formatHits(hits)}`).toEqual([]);
  });
});
