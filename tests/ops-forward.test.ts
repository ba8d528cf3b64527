// Forward values against float64 references computed in the test with naive loops (or known
// values): special functions, softmax family, arg-reductions, products, covariance, index and
// data-movement ops, norms; on every backend.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { expectClose } from "./helpers/close.js";
import { indexTensor, toRef } from "./helpers/data.js";
import { type Ref, naiveAlongDim, naiveMatmul, naiveReduce, naiveTranspose, ravelIndex, sizeOf, unravelIndex } from "./helpers/reference.js";
import { sampleValues } from "./helpers/data.js";
import { describeOnBackends } from "./helpers/backends.js";

const f64 = (shape: number[], seed: number, opts = {}): Tensor =>
  st.tensor(Float64Array.from(sampleValues(seed, sizeOf(shape), opts)), { shape, dtype: "float64" });

/** out[idx] = x[src(idx)] for every index of `shape`: the naive form of every data-movement op. */
function naiveMap(x: Ref, shape: number[], src: (idx: number[]) => number[] | null, fill = 0): Ref {
  const data: number[] = [];
  for (let i = 0; i < sizeOf(shape); i++) {
    const s = src(unravelIndex(i, shape));
    data.push(s === null ? fill : x.data[ravelIndex(s, x.shape)]!);
  }
  return { shape, data };
}

describeOnBackends("special functions", () => {
  // Python's math.erf / math.erfc (correctly rounded to ~1 ulp), across Cody's three regions
  const xs = [0, 1e-10, 0.1, 0.3, 0.49, 0.5, 0.51, 0.75, 1, 1.5, 2, 2.5, 3, 3.5, 3.99, 4, 4.5, 5, 5.5, 5.99, 6];
  const erf = [0, 1.1283791670955126e-10, 0.1124629160182849, 0.3286267594591274, 0.511668261188523, 0.5204998778130465, 0.5292436198411704, 0.7111556336535151, 0.8427007929497149, 0.9661051464753108, 0.9953222650189527, 0.999593047982555, 0.9999779095030014, 0.9999992569016276, 0.9999999832607886, 0.9999999845827421, 0.9999999998033839, 0.9999999999984626, 0.9999999999999927, 1, 1];
  const erfc = [1, 0.999999999887162, 0.8875370839817152, 0.6713732405408726, 0.4883317388114769, 0.4795001221869535, 0.4707563801588296, 0.28884436634648486, 0.15729920705028513, 0.033894853524689274, 0.004677734981047265, 0.0004069520174449589, 2.2090496998585438e-05, 7.430983723414128e-07, 1.6739211364520814e-08, 1.541725790028002e-08, 1.9661604415428873e-10, 1.5374597944280351e-12, 7.357847917974398e-15, 2.4300455127321346e-17, 2.1519736712498916e-17];

  it("erf matches math.erf to 1e-15 in float64 (regression: 0.5 ≤ |x| < 4 was wrong)", () => {
    const x = st.tensor(xs, { dtype: "float64" });
    expectClose(x.erf(), erf, { rtol: 1e-15, atol: 1e-16 });
    expectClose(x.neg().erf(), erf.map((v) => -v), { rtol: 1e-15, atol: 1e-16 });
    // 1 − erf carries erfc's relative accuracy wherever it is representable
    const oneMinus = st.sub(1, x.erf());
    xs.forEach((v, i) => {
      if (v >= 0.5 && v <= 4) expect(Math.abs((oneMinus.dataSync()[i]! - erfc[i]!) / erfc[i]!)).toBeLessThan(1e-8);
    });
  });

  it("erf in float32 agrees to float32 precision (inputs rounded to float32 move it < 1e-7)", () => {
    expectClose(st.tensor(xs, { dtype: "float32" }).erf(), erf, { rtol: 1e-6, atol: 1e-7 });
  });

  it("round is half to even; floor, ceil and sign follow PyTorch", () => {
    expect(st.tensor([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999997, 2.6]).round().toArray()).toEqual([0, 2, 2, -0, -2, -2, 0, 3]);
    expect(st.tensor([-1.5, 1.5]).floor().toArray()).toEqual([-2, 1]);
    expect(st.tensor([-1.5, 1.5]).ceil().toArray()).toEqual([-1, 2]);
    const s = st.tensor([-0, 0, -3, 2, NaN]).sign().toArray() as number[];
    expect(Object.is(s[0], -0)).toBe(true);
    expect(s.slice(1, 4)).toEqual([0, -1, 1]);
    expect(s[4]).toBeNaN();
    expect(st.tensor([-3, 0, 4]).sign().dtype).toBe("int32");
  });

  it("sigmoid, tanh, log1p, expm1, rsqrt against Math", () => {
    const v = [-30, -5, -0.5, 0, 1e-9, 0.5, 5, 30];
    const x = st.tensor(v, { dtype: "float64" });
    expectClose(x.sigmoid(), v.map((t) => (t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t)))), { rtol: 1e-15, atol: 0 });
    expectClose(x.tanh(), v.map(Math.tanh), { rtol: 1e-15, atol: 0 });
    expectClose(x.abs().log1p(), v.map((t) => Math.log1p(Math.abs(t))), { rtol: 1e-15, atol: 0 });
    expectClose(x.expm1(), v.map(Math.expm1), { rtol: 1e-15, atol: 0 });
    expectClose(x.abs().add(1).rsqrt(), v.map((t) => 1 / Math.sqrt(Math.abs(t) + 1)), { rtol: 1e-15, atol: 0 });
  });
});

describeOnBackends("softmax family along every dim", () => {
  const naiveSoftmax = (lane: number[]) => {
    const m = Math.max(...lane);
    const e = lane.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  };
  for (const dim of [0, 1, 2, -1]) {
    it(`softmax and logSoftmax over dim ${dim} of a [2,3,4] tensor`, () => {
      const x = f64([2, 3, 4], 100 + dim, { lo: 0, hi: 5 });
      const ref = naiveAlongDim(toRef(x), dim, naiveSoftmax);
      expectClose(st.softmax(x, dim), ref.data, { checkShape: false, rtol: 1e-14, atol: 1e-16 });
      expectClose(st.logSoftmax(x, dim), ref.data.map(Math.log), { checkShape: false, rtol: 1e-14, atol: 1e-15 });
      // each lane sums to 1
      expectClose(st.softmax(x, dim).sum(dim), st.ones(st.sum(x, dim).shape, { dtype: "float64" }), { rtol: 1e-14, atol: 1e-14 });
    });
  }
});

describeOnBackends("arg-reductions", () => {
  it("argmax/argmin pick the first of tied extremes, per dim and flattened", () => {
    const x = st.tensor([[1, 5, 5, 0], [7, 2, 7, 0], [3, 3, 3, 3]]);
    expect(x.argmax(1).toArray()).toEqual([1, 0, 0]);
    expect(x.argmin(1).toArray()).toEqual([3, 3, 0]);
    expect(x.argmax(0).toArray()).toEqual([1, 0, 1, 2]);
    expect(x.argmin(0).toArray()).toEqual([0, 1, 2, 0]);
    expect(x.argmax(-1, true).shape).toEqual([3, 1]);
    expect(x.argmax().item()).toBe(4); // flattened index of the first 7
    expect(x.argmin().item()).toBe(3);
    expect(x.argmax(undefined, true).shape).toEqual([1, 1]);
    expect(x.argmax().dtype).toBe("int32");
  });

  it("argmax of random 3-D data matches a naive scan", () => {
    const x = f64([3, 4, 5], 7, { distinct: true });
    const r = toRef(x);
    for (const dim of [0, 1, 2]) {
      const got = st.argmax(x, dim).dataSync();
      const outShape = r.shape.filter((_, d) => d !== dim);
      for (let o = 0; o < sizeOf(outShape); o++) {
        const idx = unravelIndex(o, outShape);
        let best = -Infinity, bi = -1;
        for (let j = 0; j < r.shape[dim]!; j++) {
          const full = [...idx.slice(0, dim), j, ...idx.slice(dim)];
          const v = r.data[ravelIndex(full, r.shape)]!;
          if (v > best) { best = v; bi = j; }
        }
        expect(got[o]).toBe(bi);
      }
    }
  });
});

describeOnBackends("products", () => {
  it("batched matmul with broadcast batch dims equals per-matrix naive products", () => {
    const a = f64([2, 1, 3, 4], 11);
    const b = f64([5, 4, 2], 12);
    const c = st.matmul(a, b);
    expect(c.shape).toEqual([2, 5, 3, 2]);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 5; j++) {
      const expected = naiveMatmul(toRef(a.index(i, 0)), toRef(b.index(j)));
      expectClose(c.index(i, j), expected.data, { checkShape: false, rtol: 1e-14, atol: 1e-15 });
    }
  });

  it("1-D operands, transposed views and empty inner dims", () => {
    const v = f64([4], 13);
    const m = f64([4, 3], 14);
    const ref = naiveMatmul({ shape: [1, 4], data: toRef(v).data }, toRef(m));
    expectClose(st.matmul(v, m), ref.data, { rtol: 1e-14, atol: 1e-14 });
    expectClose(st.matmul(m.T, v), naiveMatmul(naiveTranspose(toRef(m)), { shape: [4, 1], data: toRef(v).data }).data, { rtol: 1e-14, atol: 1e-14 });
    expectClose(st.dot(v, v), toRef(v).data.reduce((s, x) => s + x * x, 0), { rtol: 1e-14, atol: 1e-14 });
    expectClose(m.mT.matmul(m), naiveMatmul(naiveTranspose(toRef(m)), toRef(m)).data, { checkShape: false, rtol: 1e-14, atol: 1e-14 });
    const z = st.matmul(st.ones([2, 0]), st.ones([0, 3]));
    expect(z.shape).toEqual([2, 3]);
    expect(z.toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(st.matmul(st.ones([0, 2]), st.ones([2, 3])).shape).toEqual([0, 3]);
  });

  it("outer and the diagonal", () => {
    expect(st.outer(st.tensor([1, 2, 3]), st.tensor([1, -1])).toArray()).toEqual([[1, -1], [2, -2], [3, -3]]);
    expect(st.diagonal(st.arange(12).reshape(3, 4)).toArray()).toEqual([0, 5, 10]);
    expect(st.diagonal(st.arange(12).reshape(4, 3)).toArray()).toEqual([0, 4, 8]);
  });

  it("cov and corrcoef against the naive formulas (variables in rows)", () => {
    const x = f64([3, 7], 15);
    const r = toRef(x);
    const mean = [0, 1, 2].map((i) => r.data.slice(i * 7, i * 7 + 7).reduce((a, b) => a + b, 0) / 7);
    const c = (i: number, j: number, corr: number) => {
      let s = 0;
      for (let k = 0; k < 7; k++) s += (r.data[i * 7 + k]! - mean[i]!) * (r.data[j * 7 + k]! - mean[j]!);
      return s / (7 - corr);
    };
    const cov1 = [0, 1, 2].map((i) => [0, 1, 2].map((j) => c(i, j, 1)));
    expectClose(st.cov(x), cov1, { rtol: 1e-13, atol: 1e-15 });
    expectClose(st.cov(x, { correction: 0 }), [0, 1, 2].map((i) => [0, 1, 2].map((j) => c(i, j, 0))), { rtol: 1e-13, atol: 1e-15 });
    expectClose(st.corrcoef(x), cov1.map((row, i) => row.map((v, j) => v / Math.sqrt(cov1[i]![i]! * cov1[j]![j]!))), { rtol: 1e-13, atol: 1e-15 });
    // a 1-D input is one variable: its sample variance, as a 0-d tensor
    const v = st.cov(st.tensor([1, 2, 3, 4], { dtype: "float64" }));
    expect(v.shape).toEqual([]);
    expectClose(v, 5 / 3);
  });
});

describeOnBackends("index ops against naive loops", () => {
  const x = () => f64([3, 4, 5], 16);

  it("gather along each dim", () => {
    const t = x();
    for (const dim of [0, 1, 2]) {
      const shape = [2, 3, 4];
      const idxVals = sampleValues(30 + dim, 24, { lo: 0, hi: t.shape[dim]! - 0.01, signed: false }).map(Math.floor);
      const out = st.gather(t, dim, indexTensor(idxVals, shape));
      const ref = naiveMap(toRef(t), shape, (i) => i.map((v, d) => (d === dim ? idxVals[ravelIndex(i, shape)]! : v)));
      expectClose(out, ref.data, { checkShape: false, rtol: 0, atol: 0 });
    }
  });

  it("scatterAdd accumulates duplicates; indexSelect and indexAdd along dim 1", () => {
    const base = st.zeros([2, 3], { dtype: "float64" });
    const out = st.scatterAdd(base, 1, st.tensor([[0, 0, 2], [1, 1, 1]]), st.tensor([[1, 2, 3], [4, 5, 6]], { dtype: "float64" }));
    expect(out.toArray()).toEqual([[3, 0, 3], [0, 15, 0]]);
    const t = x();
    const sel = st.indexSelect(t, 1, st.tensor([3, 0, 3]));
    expectClose(sel, naiveMap(toRef(t), [3, 3, 5], ([i, j, k]) => [i!, [3, 0, 3][j!]!, k!]).data, { checkShape: false, rtol: 0, atol: 0 });
    const added = st.indexAdd(st.zeros([2, 3]), 1, st.tensor([2, 0, 2]), st.tensor([[1, 2, 3], [4, 5, 6]], { dtype: "float32" }));
    expect(added.toArray()).toEqual([[2, 0, 4], [5, 0, 10]]);
    expect(st.indexSelect(t, 0, st.tensor(2)).shape).toEqual([1, 4, 5]);
    // regression: a 0-d gather read past the strides and returned NaN
    expect(st.gather(st.tensor(3.5), 0, st.tensor(0)).toArray()).toBe(3.5);
  });

  it("maskedFill, where, oneHot, tril, triu", () => {
    const t = st.tensor([[1, 2, 3], [4, 5, 6]], { dtype: "float32" });
    expect(t.maskedFill(st.tensor([true, false, true]), -1).toArray()).toEqual([[-1, 2, -1], [-1, 5, -1]]);
    expect(t.maskedFill(st.tensor([[true], [false]]), 0.5).dtype).toBe("float32");
    expect(st.where(t.gt(3), t, st.tensor([10, 20, 30])).toArray()).toEqual([[10, 20, 30], [4, 5, 6]]);
    expect(st.oneHot(st.tensor([2, 0]), 3).toArray()).toEqual([[0, 0, 1], [1, 0, 0]]);
    expect(st.oneHot(st.tensor([[1]])).shape).toEqual([1, 1, 2]);
    const m = st.arange(1, 13).reshape(3, 4);
    expect(m.tril().toArray()).toEqual([[1, 0, 0, 0], [5, 6, 0, 0], [9, 10, 11, 0]]);
    expect(m.tril(-1).toArray()).toEqual([[0, 0, 0, 0], [5, 0, 0, 0], [9, 10, 0, 0]]);
    expect(m.triu(1).toArray()).toEqual([[0, 2, 3, 4], [0, 0, 7, 8], [0, 0, 0, 12]]);
    expect(m.triu(-1).toArray()).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [0, 10, 11, 12]]);
  });
});

describeOnBackends("data movement against naive index maps", () => {
  it("permute, transpose, .T, .mT, expand", () => {
    const t = f64([2, 3, 4], 17);
    const r = toRef(t);
    expectClose(t.permute(2, 0, 1), naiveMap(r, [4, 2, 3], ([a, b, c]) => [b!, c!, a!]).data, { checkShape: false, rtol: 0, atol: 0 });
    expectClose(t.transpose(0, 2), naiveMap(r, [4, 3, 2], ([a, b, c]) => [c!, b!, a!]).data, { checkShape: false, rtol: 0, atol: 0 });
    expect(t.T.shape).toEqual([4, 3, 2]);
    expectClose(t.T, t.transpose(0, 2), { rtol: 0, atol: 0 });
    expectClose(t.mT, naiveMap(r, [2, 4, 3], ([a, b, c]) => [a!, c!, b!]).data, { checkShape: false, rtol: 0, atol: 0 });
    const e = st.tensor([[1], [2]]).expand(3, 2, 4);
    expect(e.shape).toEqual([3, 2, 4]);
    expect(e.sum().item()).toBe(3 * 4 * 3);
  });

  it("slice with steps, negative and out-of-range bounds (Python semantics)", () => {
    const t = st.arange(60).reshape(3, 4, 5);
    const r = toRef(t);
    const s = t.slice([null, null, 2], [-3, -1], [1, 100, 3]);
    expect(s.shape).toEqual([2, 2, 2]);
    expectClose(s, naiveMap(r, [2, 2, 2], ([a, b, c]) => [a! * 2, 1 + b!, 1 + 3 * c!]).data, { checkShape: false, rtol: 0, atol: 0 });
    expect(t.index(-1, 0).toArray()).toEqual([40, 41, 42, 43, 44]);
    expect(t.slice(null, [-100, 1]).shape).toEqual([3, 1, 5]);
    expect(t.slice([2, 1]).shape).toEqual([0, 4, 5]);
    expect(t.narrow(2, -2, 2).toArray()).toEqual(t.slice(null, null, [3, 5]).toArray());
  });

  it("cat, stack, split and chunk (PyTorch's chunk sizes)", () => {
    const a = st.tensor([[1, 2]]);
    const b = st.tensor([[3, 4], [5, 6]]);
    expect(st.cat([a, b]).toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(st.cat([b, b], 1).toArray()).toEqual([[3, 4, 3, 4], [5, 6, 5, 6]]);
    expect(st.cat([a, st.tensor([[0.5, 1]])]).dtype).toBe("float32");
    expect(st.stack([a, a], 2).shape).toEqual([1, 2, 2]);
    expect(st.stack([st.tensor([1, 2]), st.tensor([3, 4])], 1).toArray()).toEqual([[1, 3], [2, 4]]);
    const x = st.arange(5);
    expect(x.split(2).map((t) => t.toArray())).toEqual([[0, 1], [2, 3], [4]]);
    expect(x.split([1, 4]).map((t) => t.toArray())).toEqual([[0], [1, 2, 3, 4]]);
    expect(x.chunk(3).map((t) => t.shape[0])).toEqual([2, 2, 1]);
    expect(st.arange(6).chunk(4).map((t) => t.shape[0])).toEqual([2, 2, 2]); // 3 chunks, as in PyTorch
  });

  it("pad and repeat against naive maps", () => {
    const t = st.arange(6).reshape(2, 3);
    const p = t.pad([1, 2, 0, 1], -1);
    expect(p.toArray()).toEqual([[-1, 0, 1, 2, -1, -1], [-1, 3, 4, 5, -1, -1], [-1, -1, -1, -1, -1, -1]]);
    const r = t.repeat(2, 1, 2);
    expect(r.shape).toEqual([2, 2, 6]);
    expectClose(r, naiveMap(toRef(t), [2, 2, 6], ([, b, c]) => [b!, c! % 3]).data, { checkShape: false, rtol: 0, atol: 0 });
  });

  it("reshape shares storage with its input (a view), flatten and squeeze", () => {
    const t = st.zeros([2, 3]);
    const v = t.reshape(3, 2);
    expect(v._s).toBe(t._s);
    expect(st.flatten(st.zeros([2, 3, 4]), 1).shape).toEqual([2, 12]);
    expect(st.flatten(st.zeros([2, 3, 4]), 0, 1).shape).toEqual([6, 4]);
    expect(st.squeeze(st.zeros([1, 2, 1])).shape).toEqual([2]);
    expect(st.squeeze(st.zeros([1, 2, 1]), [0]).shape).toEqual([2, 1]);
    expect(st.unsqueeze(st.zeros([2]), -1).shape).toEqual([2, 1]);
    expect(st.zeros([2, 3]).reshape(-1).shape).toEqual([6]);
  });
});

describeOnBackends("data movement on random shapes (fast-check)", () => {
  const shapeArb = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 });
  const RUNS = { numRuns: 100, seed: 7 };

  it("permute matches the naive index map", () => {
    const arb = shapeArb.chain((shape) => fc.tuple(fc.constant(shape), fc.shuffledSubarray(shape.map((_, i) => i), { minLength: shape.length })));
    fc.assert(fc.property(arb, ([shape, perm]) => {
      const x = st.arange(sizeOf(shape), undefined, 1, { dtype: "float64" }).reshape(shape);
      const out = x.permute(perm);
      const outShape = perm.map((p) => shape[p]!);
      const ref = naiveMap(toRef(x), outShape, (idx) => { const src = new Array<number>(shape.length); perm.forEach((p, i) => { src[p] = idx[i]!; }); return src; });
      expect(out.shape).toEqual(outShape);
      expectClose(out, ref.data, { checkShape: false, rtol: 0, atol: 0 });
    }), RUNS);
  });

  it("slice with random [start, stop, step] per dim matches Python's slicing", () => {
    const bound = fc.option(fc.integer({ min: -5, max: 5 }), { nil: undefined });
    const arb = shapeArb.chain((shape) => fc.tuple(fc.constant(shape), fc.array(fc.tuple(bound, bound, fc.integer({ min: 1, max: 3 })), { minLength: shape.length, maxLength: shape.length })));
    fc.assert(fc.property(arb, ([shape, specs]) => {
      const x = st.arange(sizeOf(shape), undefined, 1, { dtype: "float64" }).reshape(shape);
      // Python's slice.indices for a positive step
      const norm = (v: number | undefined, n: number, dflt: number) => (v === undefined ? dflt : Math.min(Math.max(v < 0 ? v + n : v, 0), n));
      const starts = specs.map(([a], d) => norm(a, shape[d]!, 0));
      const stops = specs.map(([, b], d) => norm(b, shape[d]!, shape[d]!));
      const outShape = specs.map(([, , c], d) => Math.max(0, Math.ceil((stops[d]! - starts[d]!) / c)));
      const out = x.slice(...specs.map(([a, b, c]) => [a, b, c] as [number?, number?, number?]));
      expect(out.shape).toEqual(outShape);
      const ref = naiveMap(toRef(x), outShape, (idx) => idx.map((i, d) => starts[d]! + i * specs[d]![2]));
      expectClose(out, ref.data, { checkShape: false, rtol: 0, atol: 0 });
    }), RUNS);
  });

  it("cat along a random dim matches concatenating naive blocks", () => {
    const arb = shapeArb.chain((shape) => fc.tuple(fc.constant(shape), fc.integer({ min: 0, max: shape.length - 1 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 })));
    fc.assert(fc.property(arb, ([shape, dim, sizes]) => {
      const parts = sizes.map((n, k) => { const s = shape.slice(); s[dim] = n; return st.full(s, k, { dtype: "float64" }).add(st.arange(sizeOf(s), undefined, 1, { dtype: "float64" }).reshape(s).mul(10)); });
      const out = st.cat(parts, dim);
      const outShape = shape.slice();
      outShape[dim] = sizes.reduce((a, b) => a + b, 0);
      expect(out.shape).toEqual(outShape);
      const offsets = sizes.map((_, k) => sizes.slice(0, k).reduce((a, b) => a + b, 0));
      const expected: number[] = [];
      for (let i = 0; i < sizeOf(outShape); i++) {
        const idx = unravelIndex(i, outShape);
        const k = sizes.findIndex((n, j) => idx[dim]! >= offsets[j]! && idx[dim]! < offsets[j]! + n);
        const local = idx.slice();
        local[dim] = idx[dim]! - offsets[k]!;
        expected.push(toRef(parts[k]!).data[ravelIndex(local, parts[k]!.shape)]!);
      }
      expectClose(out, expected, { checkShape: false, rtol: 0, atol: 0 });
    }), RUNS);
  });
});

describeOnBackends("norms and moments against naive formulas", () => {
  const x = f64([3, 4], 18);
  const r = toRef(x);
  const cases: [string, Tensor, (lane: number[]) => number][] = [
    ["p=1", st.norm(x, 1, 1), (l) => l.reduce((a, v) => a + Math.abs(v), 0)],
    ["p=2", st.norm(x, 2, 1), (l) => Math.hypot(...l)],
    ["p=inf", st.norm(x, Infinity, 1), (l) => Math.max(...l.map(Math.abs))],
    ["p=-inf", st.norm(x, "-inf", 1), (l) => Math.min(...l.map(Math.abs))],
    ["p=0", st.norm(x, 0, 1), (l) => l.filter((v) => v !== 0).length],
    ["p=3", st.norm(x, 3, 1), (l) => Math.cbrt(l.reduce((a, v) => a + Math.abs(v) ** 3, 0))],
    ["p=0.5", st.norm(x, 0.5, 1), (l) => l.reduce((a, v) => a + Math.sqrt(Math.abs(v)), 0) ** 2],
    ["std", x.std(1), (l) => { const m = l.reduce((a, b) => a + b, 0) / l.length; return Math.sqrt(l.reduce((a, v) => a + (v - m) ** 2, 0) / (l.length - 1)); }],
  ];
  for (const [name, got, f] of cases) {
    it(`${name} over dim 1`, () => {
      const expected = [0, 1, 2].map((i) => f(r.data.slice(i * 4, i * 4 + 4)));
      expectClose(got, expected, { rtol: 1e-14, atol: 1e-15 });
    });
  }

  it("'fro' is the 2-norm of all entries; linalg.norm too", () => {
    const all = Math.hypot(...r.data);
    expectClose(st.norm(x, "fro"), all, { rtol: 1e-14, atol: 1e-14 });
    expectClose(st.linalg.norm(x), all, { rtol: 1e-14, atol: 1e-14 });
    expectClose(st.norm(x, 2, [0, 1], true), [[all]], { rtol: 1e-14, atol: 1e-14 });
  });

  it("integer reductions are exact", () => {
    const big = st.full([1000], 123456, { dtype: "int32" });
    expect(big.sum().item()).toBe(123456000);
    expect(big.sum().dtype).toBe("int32");
    expect(naiveReduce({ shape: [2, 2], data: [1, 2, 3, 4] }, [1], false, 1, (a, v) => a * v).data).toEqual(st.tensor([[1, 2], [3, 4]]).prod(1).toArray());
  });
});
