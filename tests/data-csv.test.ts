// CSV reading (header detection, target by name or index, typed errors) and the bundled datasets.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as st from "../src/node.js";

describe("parseCsv / readCsv", () => {
  it("detects a header, splits the target by name, keeps feature names", () => {
    const d = st.data.parseCsv("a,b,label\n1,2,0\n3,4.5,1\n", { target: "label" });
    expect(d.columns).toEqual(["a", "b"]);
    expect(d.targetColumn).toBe("label");
    expect(d.x.toArray()).toEqual([[1, 2], [3, 4.5]]);
    expect(d.x.dtype).toBe("float32");
    expect(d.y!.toArray()).toEqual([0, 1]);
  });

  it("no header: columns are positions; target by index (negative from the end) or by a number as text", () => {
    const text = "1,2,3\n4,5,6";
    const d = st.data.parseCsv(text, { target: -1 });
    expect(d.columns).toEqual(["0", "1"]);
    expect(d.y!.toArray()).toEqual([3, 6]);
    expect(st.data.parseCsv(text, { target: 0 }).x.toArray()).toEqual([[2, 3], [5, 6]]);
    expect(st.data.parseCsv(text, { target: "1" }).y!.toArray()).toEqual([2, 5]);
    const all = st.data.parseCsv(text);
    expect(all.y).toBeUndefined();
    expect(all.x.shape).toEqual([2, 3]);
    expect(st.data.parseCsv(text, { header: true }).columns).toEqual(["1", "2", "3"]);
  });

  it("typed errors: unknown target, bad cell, ragged row, empty table", () => {
    expect(() => st.data.parseCsv("a,b\n1,2", { target: "c" })).toThrow(/unknown target column "c".*columns: a, b/);
    expect(() => st.data.parseCsv("a,b\n1,2", { target: 5 })).toThrow(st.ValueError);
    expect(() => st.data.parseCsv("a,b\n1,x", { target: "a" })).toThrow(/line 2, column "b": "x" is not a number/);
    expect(() => st.data.parseCsv("a,b\n1,2,3")).toThrow(/line 2 has 3 fields, expected 2/);
    expect(() => st.data.parseCsv("a,b\n1,")).toThrow(st.ValueError);
    expect(() => st.data.parseCsv("\n\n")).toThrow(/empty/);
  });

  it("readCsv reads a file and names an unreadable path", () => {
    const dir = mkdtempSync(join(tmpdir(), "st-csv-"));
    const f = join(dir, "t.csv");
    writeFileSync(f, "x1,x2,y\n0.5,1,10\n-1,2,20\n");
    const d = st.data.readCsv(f, { target: "y" });
    expect(d.x.toArray()).toEqual([[0.5, 1], [-1, 2]]);
    expect(d.y!.toArray()).toEqual([10, 20]);
    const missing = join(dir, "nope.csv");
    expect(() => st.data.readCsv(missing)).toThrow(st.ValueError);
    expect(() => st.data.readCsv(missing)).toThrow(`readCsv: cannot read "${missing}": no such file`);
    expect(() => st.data.readCsv(dir)).toThrow(/it is a directory/);
    expect(() => st.data.readCsv(f, { target: "z" })).toThrow(new RegExp(`unknown target column "z" \\(${f.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\\)`));
  });
});

describe("bundled datasets (offline, from data/)", () => {
  it.each([
    ["loadDigits", () => st.datasets.loadDigits(), [1797, 64], 10],
    ["loadIris", () => st.datasets.loadIris(), [150, 4], 3],
    ["loadBreastCancer", () => st.datasets.loadBreastCancer(), [569, 30], 2],
    ["loadWine", () => st.datasets.loadWine(), [178, 13], 3],
  ] as const)("%s: shapes, dtypes, classes", (_, load, shape, k) => {
    const d = load();
    expect(d.x.shape).toEqual(shape);
    expect(d.x.dtype).toBe("float32");
    expect(d.y.shape).toEqual([shape[0]]);
    expect(d.y.dtype).toBe("int32");
    expect(d.numClasses).toBe(k);
    expect(d.y.min().item()).toBe(0);
    expect(d.y.max().item()).toBe(k - 1);
  });

  it("digits are scaled to [0, 1] by default and raw 0..16 with normalize false; iris first row", () => {
    expect(st.datasets.loadDigits().x.max().item()).toBe(1);
    expect(st.datasets.loadDigits({ normalize: false }).x.max().item()).toBe(16);
    const iris = st.datasets.loadIris();
    expect(iris.x.narrow(0, 0, 1).toArray()).toEqual([[5.1, 3.5, 1.4, 0.2].map(Math.fround)]);
    expect(iris.y.narrow(0, 0, 1).toArray()).toEqual([0]);
  });

  it("loadDiabetes: 442 × 10 raw features and float targets (first rows as in scikit-learn)", () => {
    const d = st.datasets.loadDiabetes();
    expect(d.x.shape).toEqual([442, 10]);
    expect(d.y.shape).toEqual([442]);
    expect(d.y.dtype).toBe("float32");
    expect(d.y.narrow(0, 0, 3).toArray()).toEqual([151, 75, 141]);
    expect(d.x.narrow(0, 0, 1).toArray()).toEqual([[59, 2, 32.1, 101, 157, 93.2, 38, 4, 4.8598, 87].map(Math.fround)]);
    expect(d.featureNames.length).toBe(10);
  });
});
