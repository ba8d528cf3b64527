// TensorDataset, DataLoader (batching, seeded per-epoch shuffle, dropLast, collate) and randomSplit.
import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";

const x10 = () => st.arange(20, { dtype: "float32" }).reshape(10, 2); // row i = [2i, 2i+1]
const y10 = () => st.arange(10, { dtype: "int32" });

describe("TensorDataset", () => {
  it("serves rows of each tensor", () => {
    const ds = new st.data.TensorDataset(x10(), y10());
    expect(ds.length).toBe(10);
    const [x, y] = ds.get(3);
    expect(x!.shape).toEqual([2]);
    expect(x!.toArray()).toEqual([6, 7]);
    expect(y!.shape).toEqual([]);
    expect(y!.item()).toBe(3);
  });
  it("rejects mismatched first dimensions, scalars and bad indices with typed errors", () => {
    expect(() => new st.data.TensorDataset(x10(), st.zeros([9]))).toThrow(st.ShapeError);
    expect(() => new st.data.TensorDataset(st.scalar(1))).toThrow(st.ShapeError);
    expect(() => new st.data.TensorDataset()).toThrow(st.ValueError);
    const ds = new st.data.TensorDataset(x10());
    expect(() => ds.get(10)).toThrow(/index 10 is out of range for a dataset of length 10/);
    expect(() => ds.get(-1)).toThrow(st.IndexError);
  });
});

describe("DataLoader", () => {
  it("batches in order with exact shapes and contents; last batch smaller", () => {
    const loader = new st.data.DataLoader(new st.data.TensorDataset(x10(), y10()), { batchSize: 4 });
    expect(loader.length).toBe(3);
    const batches = [...loader];
    expect(batches.length).toBe(3);
    expect(batches.map(([xb]) => xb!.shape)).toEqual([[4, 2], [4, 2], [2, 2]]);
    expect(batches[0]![0]!.toArray()).toEqual([[0, 1], [2, 3], [4, 5], [6, 7]]);
    expect(batches[2]![1]!.toArray()).toEqual([8, 9]);
    expect(batches[2]![1]!.dtype).toBe("int32");
  });

  it("dropLast drops the incomplete batch (10 samples, batch 4 → 2 batches; batch 5 → 2)", () => {
    const ds = new st.data.TensorDataset(x10(), y10());
    const l4 = new st.data.DataLoader(ds, { batchSize: 4, dropLast: true });
    expect(l4.length).toBe(2);
    expect([...l4].map(([, yb]) => yb!.toArray())).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    expect(new st.data.DataLoader(ds, { batchSize: 5, dropLast: true }).length).toBe(2);
    expect(new st.data.DataLoader(ds, { batchSize: 11, dropLast: true }).length).toBe(0);
    expect([...new st.data.DataLoader(ds, { batchSize: 11, dropLast: true })]).toEqual([]);
    expect(new st.data.DataLoader(ds, { batchSize: 11 }).length).toBe(1);
  });

  it("shuffle: each epoch is a permutation, reproducible from the seed, and epochs differ", () => {
    const n = 50;
    const ds = new st.data.TensorDataset(st.arange(n, { dtype: "int32" }));
    const epochs = (seed: number) => {
      const loader = new st.data.DataLoader(ds, { batchSize: 8, shuffle: true, seed });
      return [0, 1, 2].map(() => [...loader].flatMap(([b]) => b!.toArray() as number[]));
    };
    const a = epochs(7);
    for (const order of a) expect([...order].sort((p, q) => p - q)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(a[0]).not.toEqual(a[1]);
    expect(a[1]).not.toEqual(a[2]);
    expect(a[0]).not.toEqual(Array.from({ length: n }, (_, i) => i));
    expect(epochs(7)).toEqual(a);
    expect(epochs(8)[0]).not.toEqual(a[0]);
  });

  it("the shuffle order is the generator's randperm, one per epoch", () => {
    const ds = new st.data.TensorDataset(st.arange(6, { dtype: "int32" }));
    const g = new st.Generator(3);
    const loader = new st.data.DataLoader(ds, { batchSize: 6, shuffle: true, generator: g });
    const ref = new st.Generator(3);
    expect([...loader][0]![0]!.toArray()).toEqual(Array.from(ref.randperm(6)));
    expect([...loader][0]![0]!.toArray()).toEqual(Array.from(ref.randperm(6)));
  });

  it("datasets without getBatch are collated sample by sample; custom collate is used", () => {
    const ds: st.data.Dataset<[st.Tensor, number]> = { length: 5, get: (i) => [st.tensor([i, -i], { dtype: "float32" }), i * 10] };
    const [[xb, yb]] = [...new st.data.DataLoader(ds, { batchSize: 3 })] as unknown as [st.Tensor, st.Tensor][];
    expect(xb!.toArray()).toEqual([[0, -0], [1, -1], [2, -2]]);
    expect(yb!.toArray()).toEqual([0, 10, 20]);
    expect(yb!.dtype).toBe("int32");
    const sums = [...new st.data.DataLoader(ds, { batchSize: 2, collate: (s) => s.reduce((a, [, v]) => a + v, 0) })];
    expect(sums).toEqual([10, 50, 40]);
    // a custom collate on a TensorDataset receives the samples, not the fast-path batch
    const counts = [...new st.data.DataLoader(new st.data.TensorDataset(x10()), { batchSize: 4, collate: (s) => s.length })];
    expect(counts).toEqual([4, 4, 2]);
  });

  it("rejects a batch size of 0, a non-integer batch size and a non-dataset", () => {
    const ds = new st.data.TensorDataset(x10());
    expect(() => new st.data.DataLoader(ds, { batchSize: 0 })).toThrow(st.ValueError);
    expect(() => new st.data.DataLoader(ds, { batchSize: 0 })).toThrow(/batchSize must be a positive integer, got 0/);
    expect(() => new st.data.DataLoader(ds, { batchSize: 2.5 })).toThrow(st.ValueError);
    expect(() => new st.data.DataLoader(ds, { seed: 1, generator: new st.Generator(1) })).toThrow(st.ValueError);
    expect(() => new st.data.DataLoader({} as st.data.Dataset)).toThrow(st.ValueError);
  });
});

describe("randomSplit", () => {
  const ds = new st.data.TensorDataset(st.arange(10, { dtype: "int32" }));
  const all = (parts: st.data.Subset<st.Tensor[]>[]) => parts.flatMap((p) => Array.from({ length: p.length }, (_, i) => p.get(i)[0]!.item()));

  it("fractions: sizes floor then remainder round-robin, disjoint and covering", () => {
    const parts = st.data.randomSplit(ds, [0.5, 0.3, 0.2], { seed: 0 });
    expect(parts.map((p) => p.length)).toEqual([5, 3, 2]);
    expect(all(parts).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(st.data.randomSplit(ds, [1 / 3, 1 / 3, 1 / 3], { seed: 0 }).map((p) => p.length)).toEqual([4, 3, 3]);
    const digits = new st.data.TensorDataset(st.zeros([1797, 1]));
    expect(st.data.randomSplit(digits, [0.8, 0.2], { seed: 0 }).map((p) => p.length)).toEqual([1438, 359]);
  });

  it("counts, reproducible from the seed, and the subsets batch through the fast path", () => {
    const [a, b] = st.data.randomSplit(ds, [7, 3], { seed: 1 });
    expect([a!.length, b!.length]).toEqual([7, 3]);
    const perm = Array.from(new st.Generator(1).randperm(10));
    expect(all([a!, b!])).toEqual(perm);
    const [xb] = [...new st.data.DataLoader(b!, { batchSize: 3 })][0]!;
    expect(xb!.toArray()).toEqual(perm.slice(7));
  });

  it("rejects fractions not summing to 1 and counts not summing to n", () => {
    expect(() => st.data.randomSplit(ds, [0.5, 0.4])).toThrow(/sum to 0.9, expected 1/);
    expect(() => st.data.randomSplit(ds, [6, 3])).toThrow(/sum to 9 but the dataset has 10 samples/);
    expect(() => st.data.randomSplit(ds, [-1, 11])).toThrow(st.ValueError);
    expect(() => st.data.randomSplit(ds, [])).toThrow(st.ValueError);
  });
});
