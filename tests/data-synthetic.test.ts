// Synthetic generators: shapes, dtypes, exact relations (y = reverse(x), blob sizes), seeding.
import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";

describe("synthetic datasets", () => {
  it("linearData: y = 2x + 1 exactly without noise; least squares recovers w, b with noise", () => {
    const clean = st.data.linearData({ n: 50, noise: 0, seed: 0 });
    expect(clean.x.shape).toEqual([50, 1]);
    expect(clean.y.dtype).toBe("float32");
    const xs = clean.x.toArray() as number[][];
    const ys = clean.y.toArray() as number[][];
    xs.forEach(([v], i) => expect(ys[i]![0]).toBeCloseTo(2 * v! + 1, 6));
    expect(xs.every(([v]) => v! >= -1 && v! < 1)).toBe(true);
    const { x, y } = st.data.linearData({ n: 2000, noise: 0.1, seed: 1 });
    const a = (x.toArray() as number[][]).flat();
    const b = (y.toArray() as number[][]).flat();
    const mx = a.reduce((s, v) => s + v, 0) / a.length;
    const my = b.reduce((s, v) => s + v, 0) / b.length;
    const w = a.reduce((s, v, i) => s + (v - mx) * (b[i]! - my), 0) / a.reduce((s, v) => s + (v - mx) ** 2, 0);
    expect(w).toBeCloseTo(2, 1);
    expect(my - w * mx).toBeCloseTo(1, 1);
  });

  it("makeRegression: given weights and bias with zero noise give y = x·w + b", () => {
    const { x, y, weights } = st.data.makeRegression({ nSamples: 20, nFeatures: 3, weights: [1, -2, 0.5], bias: 3, noise: 0, seed: 2 });
    expect(x.shape).toEqual([20, 3]);
    expect(y.shape).toEqual([20, 1]);
    expect(weights).toEqual([1, -2, 0.5]);
    const xr = x.toArray() as number[][];
    (y.toArray() as number[][]).forEach(([v], i) => expect(v).toBeCloseTo(xr[i]![0]! - 2 * xr[i]![1]! + 0.5 * xr[i]![2]! + 3, 5));
    expect(st.data.makeRegression({ nFeatures: 4, seed: 3 }).weights.length).toBe(4);
    expect(() => st.data.makeRegression({ nFeatures: 2, weights: [1] })).toThrow(st.ValueError);
  });

  it("makeSpirals: shapes, class-major labels, radii in [0, 1], reproducible", () => {
    const { x, y } = st.data.makeSpirals({ nPerClass: 10, nClasses: 3, seed: 0 });
    expect(x.shape).toEqual([30, 2]);
    expect(x.dtype).toBe("float32");
    expect(y.dtype).toBe("int32");
    expect(y.toArray()).toEqual([...Array(10).fill(0), ...Array(10).fill(1), ...Array(10).fill(2)]);
    const r = (x.toArray() as number[][]).map(([a, b]) => Math.hypot(a!, b!));
    r.slice(0, 10).forEach((v, i) => expect(v).toBeCloseTo(i / 9, 6));
    expect(st.data.makeSpirals({ nPerClass: 10, nClasses: 3, seed: 0 }).x.toArray()).toEqual(x.toArray());
    expect(st.data.makeSpirals({ nPerClass: 10, nClasses: 3, seed: 1 }).x.toArray()).not.toEqual(x.toArray());
  });

  it("makeBlobs: blob sizes differ by at most one; zero std puts points on the centres", () => {
    const { x, y, centers } = st.data.makeBlobs({ nSamples: 10, centers: 3, nFeatures: 4, seed: 0 });
    expect([x.shape, y.shape, centers.shape]).toEqual([[10, 4], [10], [3, 4]]);
    const counts = [0, 0, 0];
    for (const c of y.toArray() as number[]) counts[c]!++;
    expect(counts).toEqual([4, 3, 3]);
    const fixed = st.data.makeBlobs({ nSamples: 6, centers: [[0, 0], [5, 5]], clusterStd: 0, seed: 0 });
    const fy = fixed.y.toArray() as number[];
    (fixed.x.toArray() as number[][]).forEach((p, i) => expect(p).toEqual(fy[i] === 0 ? [0, 0] : [5, 5]));
    expect(fixed.y.toArray()).not.toEqual([0, 1, 0, 1, 0, 1]); // shuffled
    expect(st.data.makeBlobs({ nSamples: 4, centers: [[0], [1]], clusterStd: 0, shuffle: false }).y.toArray()).toEqual([0, 1, 0, 1]);
    expect(() => st.data.makeBlobs({ centers: [[0, 0], [1]] })).toThrow(st.ValueError);
  });

  it("sequenceReversal and sequenceCopy: int32 [n, length], tokens in range, exact targets", () => {
    const r = st.data.sequenceReversal({ nSamples: 5, length: 6, vocabSize: 7, firstToken: 2, seed: 0 });
    expect(r.x.shape).toEqual([5, 6]);
    expect(r.y.dtype).toBe("int32");
    const xr = r.x.toArray() as number[][];
    expect(r.y.toArray()).toEqual(xr.map((row) => [...row].reverse()));
    expect(xr.flat().every((t) => t >= 2 && t < 7)).toBe(true);
    const c = st.data.sequenceCopy({ nSamples: 3, length: 4, seed: 5 });
    expect(c.y.toArray()).toEqual(c.x.toArray());
    expect(st.data.sequenceCopy({ nSamples: 3, length: 4, seed: 5 }).x.toArray()).toEqual(c.x.toArray());
    expect(() => st.data.sequenceCopy({ length: 0 })).toThrow(/length must be a positive integer, got 0/);
    expect(() => st.data.sequenceCopy({ vocabSize: 3, firstToken: 3 })).toThrow(st.ValueError);
  });

  it("the global generator is used without seed, so st.manualSeed replays", () => {
    st.manualSeed(11);
    const a = st.data.makeSpirals({ nPerClass: 5 }).x.toArray();
    st.manualSeed(11);
    expect(st.data.makeSpirals({ nPerClass: 5 }).x.toArray()).toEqual(a);
  });
});
