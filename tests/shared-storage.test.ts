// core/shared-storage.ts (shareStorage, setData) and the in-place writes of nn/ that now go through
// tensor ops instead of raw arrays: each must alias or replace memory and bump the version counter
// exactly as the raw writes did, so autograd still refuses a graph whose saved tensor was changed.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { setData, shareStorage } from "../src/core/shared-storage.js";
import { Tensor } from "../src/core/tensor.js";
import { expectError } from "./helpers/expect-error.js";

const { nn } = st;

describe("shareStorage", () => {
  it("makes a second tensor over the same memory and version counter", () => {
    const a = st.tensor([1, 2, 3], { dtype: "float32" });
    const b = new Tensor(shareStorage(a), [3], "float32");
    st.noGrad(() => b.mul_(2));
    expect(a.toArray()).toEqual([2, 4, 6]);
    expect(a.version).toBe(1);
    expect(b.version).toBe(1);
  });

  it("is what Parameter and stateDict alias", () => {
    const data = st.tensor([1, 2], { dtype: "float32" });
    const p = new nn.Parameter(data);
    st.noGrad(() => p.add_(1));
    expect(data.toArray()).toEqual([2, 3]);
    const lin = new nn.Linear(2, 1);
    const sd = lin.stateDict();
    st.noGrad(() => lin.bias!.fill_(7));
    expect(sd.bias!.toArray()).toEqual([7]);
    expect(sd.bias!.requiresGrad).toBe(false);
  });
});

describe("setData", () => {
  it("gives the tensor new memory and dtype, keeping the object", () => {
    const t = st.tensor([1.5, 2.5], { dtype: "float32" });
    const src = st.tensor([0.1, 0.2], { dtype: "float64" });
    setData(t, src);
    expect(t.dtype).toBe("float64");
    expect(Array.from(t.dataSync())).toEqual([0.1, 0.2]); // float64 values, not rounded to float32
    st.noGrad(() => src.add_(1)); // aliasing src, as PyTorch's t.data = src does
    expect(Array.from(t.dataSync())).toEqual([1.1, 1.2]);
  });

  it("refuses a different shape with a ShapeError naming both shapes", () => {
    expectError(() => setData(st.zeros([2]), st.zeros([3])), st.ShapeError, "setData", "[3]", "[2]");
  });

  it("backs Module.double(): same parameter objects, float64 values and grads", () => {
    const lin = new nn.Linear(3, 2);
    const w = lin.weight;
    const before = Array.from(w.dataSync());
    lin.weight.grad = st.ones([2, 3]);
    lin.double();
    expect(lin.weight).toBe(w);
    expect(w.dtype).toBe("float64");
    expect(Array.from(w.dataSync())).toEqual(before); // float32 → float64 is exact
    expect(w.grad!.dtype).toBe("float64");
    expect(w.requiresGrad).toBe(true);
  });
});

describe("nn writes bump versions (no raw-array writes left behind)", () => {
  it("init functions bump the version and write under noGrad even for a parameter", () => {
    const w = new nn.Parameter(st.zeros([4, 4]));
    const v0 = w.version;
    nn.init.normal_(w, 0, 1, { generator: new st.Generator(1) });
    nn.init.constant_(w, 0.5);
    nn.init.eye_(w);
    nn.init.truncNormal_(w, 0, 1, -1, 1, { generator: new st.Generator(2) });
    nn.init.orthogonal_(w, 1, { generator: new st.Generator(3) });
    expect(w.version).toBe(v0 + 5);
  });

  it("init.uniform_ draws the same values as st.uniform from the same seed", () => {
    const w = st.zeros([3, 5], { dtype: "float64" });
    nn.init.uniform_(w, -2, 3, { generator: new st.Generator(11) });
    const ref = st.uniform([3, 5], -2, 3, { dtype: "float64", generator: new st.Generator(11) });
    expect(Array.from(w.dataSync())).toEqual(Array.from(ref.dataSync()));
  });

  it("eye_ writes the identity, and the padding row of Embedding is zero after reset", () => {
    const t = st.full([2, 3], 9);
    nn.init.eye_(t);
    expect(t.toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
    const e = new nn.Embedding(4, 3, { paddingIdx: 2 });
    expect(e.weight.toArray()).toEqual(expect.arrayContaining([[0, 0, 0]]));
    expect((e.weight.toArray() as number[][])[2]).toEqual([0, 0, 0]);
    expect((e.weight.toArray() as number[][])[1]!.some((v) => v !== 0)).toBe(true);
  });

  it("BatchNorm's running-statistics update bumps the buffers' versions and counts batches", () => {
    const bn = new nn.BatchNorm1d(2, { momentum: null });
    bn.call(st.tensor([[1, 2], [3, 6]], { dtype: "float32" }));
    bn.call(st.tensor([[3, 4], [5, 8]], { dtype: "float32" }));
    expect(bn.numBatchesTracked!.item()).toBe(2);
    // momentum null = cumulative average of the batch means: ((2 + 4) / 2, (4 + 6) / 2)
    expect(bn.runningMean!.toArray()).toEqual([3, 5]);
    expect(bn.runningMean!.version).toBe(2);
    bn.resetRunningStats();
    expect(bn.runningMean!.toArray()).toEqual([0, 0]);
    expect(bn.runningVar!.toArray()).toEqual([1, 1]);
    expect(bn.numBatchesTracked!.item()).toBe(0);
  });

  it("clipGradNorm and clipGradValue bump the gradient's version", () => {
    const p = st.tensor([3, 4], { requiresGrad: true });
    p.grad = st.tensor([3, 4], { dtype: "float32" });
    const g = p.grad;
    nn.utils.clipGradNorm([p], 1);
    expect(g.version).toBe(1);
    nn.utils.clipGradValue([p], 0.1);
    expect(g.version).toBe(2);
    expect(g.toArray()).toEqual([0.10000000149011612, 0.10000000149011612]);
  });
});
