// Property-based tests (fast-check) over random shapes: binary ops and where against a naive
// broadcasting reference (size-0 and size-1 dims, up to 4-D), dtype promotion, broadcast
// gradients, and reductions over random dim subsets against naive reductions.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { type DType, ShapeError, type Tensor } from "../src/index.js";
import { expectClose } from "./helpers/close.js";
import { sampleValues } from "./helpers/data.js";
import { type Ref, broadcastShape, naiveBinary, naiveReduce, ravelIndex, sizeOf, unravelIndex } from "./helpers/reference.js";

const RUNS = { numRuns: 100, seed: 20240611 };

/** A shape of rank ≤ 4 with sizes 0..3 (0 and 1 are the interesting ones). */
const shapeArb = (maxRank = 4, minSize = 0) => fc.array(fc.integer({ min: minSize, max: 3 }), { maxLength: maxRank });

/** A shape that broadcasts to `out`: a suffix of it, with some dims replaced by 1. */
const operandArb = (out: number[]) =>
  fc.integer({ min: 0, max: out.length }).chain((rank) =>
    fc.array(fc.boolean(), { minLength: rank, maxLength: rank }).map((ones) => out.slice(out.length - rank).map((d, i) => (ones[i] ? 1 : d))),
  );

/** Two broadcast-compatible shapes (either may be the larger one). */
const pairArb = shapeArb().chain((out) => fc.tuple(operandArb(out), operandArb(out)));

const f64 = (shape: number[], seed: number, opts: { signed?: boolean; lo?: number; hi?: number } = {}): Tensor =>
  st.tensor(Float64Array.from(sampleValues(seed, sizeOf(shape), opts)), { shape, dtype: "float64" });
const ref = (t: Tensor): Ref => ({ shape: t.shape.slice(), data: Array.from(t.dataSync() as ArrayLike<number>) });

const BINARY: [string, (a: Tensor, b: Tensor) => Tensor, (x: number, y: number) => number][] = [
  ["add", st.add, (x, y) => x + y],
  ["sub", st.sub, (x, y) => x - y],
  ["mul", st.mul, (x, y) => x * y],
  ["div", st.div, (x, y) => x / y],
  ["pow", (a, b) => st.pow(a.abs(), b), (x, y) => Math.abs(x) ** y],
  ["maximum", st.maximum, Math.max],
  ["minimum", st.minimum, Math.min],
  ["lt", st.lt, (x, y) => Number(x < y)],
  ["ge", st.ge, (x, y) => Number(x >= y)],
];

describe("binary ops broadcast like NumPy", () => {
  for (const [name, op, f] of BINARY) {
    it(`${name} matches the naive broadcast on random compatible shapes`, () => {
      fc.assert(
        fc.property(pairArb, fc.integer({ min: 0, max: 1e6 }), ([sa, sb], seed) => {
          const a = f64(sa, seed);
          const b = f64(sb, seed + 1);
          const out = op(a, b);
          const expected = naiveBinary(ref(a), ref(b), f);
          expect(out.shape).toEqual(expected.shape);
          expectClose(out, expected.data, { checkShape: false, rtol: 1e-15, atol: 0 });
        }),
        RUNS,
      );
    });
  }

  it("incompatible shapes raise a ShapeError naming both shapes; compatible ones do not", () => {
    fc.assert(
      fc.property(shapeArb(3, 1), shapeArb(3, 1), (sa, sb) => {
        const a = st.zeros(sa);
        const b = st.zeros(sb);
        const expected = broadcastShape(sa, sb);
        if (expected === null) {
          expect(() => st.add(a, b)).toThrow(ShapeError);
          expect(() => st.add(a, b)).toThrow(`[${sa.join(", ")}] and [${sb.join(", ")}]`);
        } else {
          expect(st.add(a, b).shape).toEqual(expected);
        }
      }),
      RUNS,
    );
  });

  it("where broadcasts condition and both branches together", () => {
    const tripleArb = shapeArb().chain((out) => fc.tuple(operandArb(out), operandArb(out), operandArb(out)));
    fc.assert(
      fc.property(tripleArb, fc.integer({ min: 0, max: 1e6 }), ([sc, sa, sb], seed) => {
        const c = f64(sc, seed).gt(0);
        const a = f64(sa, seed + 1);
        const b = f64(sb, seed + 2);
        const out = st.where(c, a, b);
        // a holds no NaN, so NaN marks "take b" through the second broadcast
        const expected = naiveBinary(naiveBinary(ref(c), ref(a), (x, y) => (x ? y : NaN)), ref(b), (x, y) => (Number.isNaN(x) ? y : x));
        expect(out.shape).toEqual(expected.shape);
        expectClose(out, expected.data, { checkShape: false, rtol: 0, atol: 0 });
      }),
      RUNS,
    );
  });

  it("mixed dtypes promote like PyTorch and keep exact integer values", () => {
    const rank: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };
    const dtypeArb = fc.constantFrom<DType>("bool", "int32", "float32", "float64");
    fc.assert(
      fc.property(pairArb.filter(([a, b]) => a.length > 0 && b.length > 0), dtypeArb, dtypeArb, fc.integer({ min: 0, max: 1e6 }), ([sa, sb], da, db, seed) => {
        const ints = (shape: number[], s: number, d: DType) =>
          st.tensor(Int32Array.from(sampleValues(s, sizeOf(shape), { lo: 0, hi: 4 }).map((v) => (d === "bool" ? Number(v > 0) : Math.trunc(v)))), { shape, dtype: d });
        const a = ints(sa, seed, da);
        const b = ints(sb, seed + 1, db);
        const sum = st.add(a, b);
        const prodT = st.mul(a, b);
        // bool + bool stays bool: logical or (PyTorch)
        const bothBool = da === "bool" && db === "bool";
        const expectedDType = rank[da] >= rank[db] ? da : db;
        expect(sum.dtype).toBe(expectedDType);
        expectClose(sum, naiveBinary(ref(a), ref(b), (x, y) => (bothBool ? Number(x + y > 0) : x + y)).data, { checkShape: false, rtol: 0, atol: 0 });
        expectClose(prodT, naiveBinary(ref(a), ref(b), (x, y) => x * y).data, { checkShape: false, rtol: 0, atol: 0 });
      }),
      RUNS,
    );
  });
});

/** Σ of g over the output positions that read each element of an operand of `shape`. */
function naiveReduceTo(g: Ref, shape: number[]): number[] {
  const out = new Array<number>(sizeOf(shape)).fill(0);
  for (let i = 0; i < g.data.length; i++) {
    const idx = unravelIndex(i, g.shape);
    const lead = idx.length - shape.length;
    out[ravelIndex(shape.map((n, d) => (n === 1 ? 0 : idx[lead + d]!)), shape)]! += g.data[i]!;
  }
  return out;
}

describe("broadcast gradients", () => {
  it("d/da Σ w·(a·b) is reduced to a's shape (and likewise for b)", () => {
    fc.assert(
      fc.property(pairArb, fc.integer({ min: 0, max: 1e6 }), ([sa, sb], seed) => {
        const a = f64(sa, seed).requiresGrad_();
        const b = f64(sb, seed + 1).requiresGrad_();
        const y = a.mul(b);
        const w = f64(y.shape, seed + 2);
        y.mul(w).sum().backward();
        const wb = naiveBinary(ref(w), ref(b.detach()), (x, z) => x * z);
        const wa = naiveBinary(ref(w), ref(a.detach()), (x, z) => x * z);
        const ga = a.grad ?? st.zerosLike(a);
        const gb = b.grad ?? st.zerosLike(b);
        expect(ga.shape).toEqual(sa);
        expect(gb.shape).toEqual(sb);
        expectClose(ga, naiveReduceTo(wb, sa), { checkShape: false, rtol: 1e-12, atol: 1e-12 });
        expectClose(gb, naiveReduceTo(wa, sb), { checkShape: false, rtol: 1e-12, atol: 1e-12 });
      }),
      { ...RUNS, numRuns: 60 },
    );
  });
});

/** A random shape, a random non-empty dim subset (some written negative, or all dims), keepdim. */
const reductionArb = (minSize: number) =>
  shapeArb(4, minSize).chain((shape) =>
    fc.record({
      shape: fc.constant(shape),
      dims: shape.length === 0 ? fc.constant(undefined) : fc.option(
        fc.subarray(shape.map((_, i) => i), { minLength: 1 }).chain((ds) =>
          fc.array(fc.boolean(), { minLength: ds.length, maxLength: ds.length }).map((neg) => ds.map((d, i) => (neg[i] ? d - shape.length : d))),
        ),
        { nil: undefined },
      ),
      keepdim: fc.boolean(),
      seed: fc.integer({ min: 0, max: 1e6 }),
    }),
  );

const sum = (dims: number[] | undefined, keepdim: boolean) => (x: Ref) => naiveReduce(x, dims, keepdim, 0, (a, v) => a + v);
const REDUCTIONS: [string, number, (x: Tensor, d: number[] | undefined, k: boolean) => Tensor, (x: Ref, d: number[] | undefined, k: boolean) => Ref][] = [
  ["sum", 0, (x, d, k) => st.sum(x, d, k), (x, d, k) => sum(d, k)(x)],
  ["mean", 0, (x, d, k) => x.mean(d, k), (x, d, k) => naiveReduce(x, d, k, 0, (a, v) => a + v, (a, n) => a / n)],
  ["prod", 0, (x, d, k) => st.prod(x, d, k), (x, d, k) => naiveReduce(x, d, k, 1, (a, v) => a * v)],
  ["max", 1, (x, d, k) => st.max(x, d, k), (x, d, k) => naiveReduce(x, d, k, -Infinity, Math.max)],
  ["min", 1, (x, d, k) => x.min(d, k), (x, d, k) => naiveReduce(x, d, k, Infinity, Math.min)],
  ["logsumexp", 1, (x, d, k) => st.logsumexp(x, d, k), (x, d, k) => naiveReduce(x, d, k, 0, (a, v) => a + Math.exp(v), Math.log)],
  ["var (correction 0)", 1, (x, d, k) => st.var(x, d, { correction: 0, keepdim: k }), (x, d, k) => naiveVar(x, d, k, 0)],
  ["var (correction 1)", 1, (x, d, k) => x.var(d, { keepdim: k }), (x, d, k) => naiveVar(x, d, k, 1)],
  ["norm p=3", 1, (x, d, k) => st.norm(x, 3, d, k), (x, d, k) => naiveReduce(x, d, k, 0, (a, v) => a + Math.abs(v) ** 3, (a) => Math.cbrt(a))],
];

function naiveVar(x: Ref, dims: number[] | undefined, keepdim: boolean, correction: number): Ref {
  const m = naiveReduce(x, dims, true, 0, (a, v) => a + v, (a, n) => a / n);
  const sq = naiveBinary(x, m, (v, mu) => (v - mu) ** 2);
  return naiveReduce(sq, dims, keepdim, 0, (a, v) => a + v, (a, n) => a / (n - correction));
}

describe("reductions over random dim subsets", () => {
  for (const [name, minSize, op, naive] of REDUCTIONS) {
    it(`${name} matches the naive reduction${minSize === 0 ? " (size-0 dims included)" : ""}`, () => {
      fc.assert(
        fc.property(reductionArb(minSize), ({ shape, dims, keepdim, seed }) => {
          const x = f64(shape, seed);
          const out = op(x, dims, keepdim);
          const expected = naive(ref(x), dims, keepdim);
          expect(out.shape).toEqual(expected.shape);
          expectClose(out, expected.data, { checkShape: false, rtol: 1e-12, atol: 1e-12 });
        }),
        RUNS,
      );
    });
  }
});
