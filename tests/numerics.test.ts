// numerics/: every stable formulation at extreme inputs (±1e4, −∞ masks, NaN, zero variance),
// against float64 references, with gradchecks; and the comparison utilities (allclose, ULPs,
// assertClose) on the cases that trip naive comparisons.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { DTypeError, ShapeError, Tensor, ValueError } from "../src/index.js";

const { softplus, logSigmoid, log1mexp, xlogy, safeLog, logsumexp, logSoftmax, assertClose, ulpDistance } = st.numerics;

const f64 = (v: number[] | number[][], requiresGrad = false) => st.tensor(v, { dtype: "float64", requiresGrad });
const f32 = (v: number[] | number[][], requiresGrad = false) => st.tensor(v, { dtype: "float32", requiresGrad });

/** Gradient of sum(f(x)) w.r.t. x. */
function gradOf(f: (x: Tensor) => Tensor, x: Tensor): Tensor {
  const [g] = st.autograd.grad(f(x).sum(), [x]);
  return g!;
}

/** Reference log(1 + eˣ) in float64, by cases so the reference itself never overflows. */
const refSoftplus = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

const EXTREME = [-1e4, -100, -30, -1, -1e-3, 0, 1e-3, 1, 30, 100, 1e4];

describe("softplus", () => {
  it("matches log(1 + eˣ) from −1e4 to 1e4 in float64, with the threshold off", () => {
    const y = softplus(f64(EXTREME), 1, Infinity);
    assertClose(y, EXTREME.map(refSoftplus));
    // the tail survives: softplus(−30) = e^−30 to full relative precision, not 0
    expect(y.toArray()).toContain(Math.log1p(Math.exp(-30)));
  });

  it("is exact at ±1e4 in float32: softplus(1e4) = 1e4, softplus(−1e4) = 0, gradients 1 and 0", () => {
    const x = f32([1e4, -1e4], true);
    expect(softplus(x).toArray()).toEqual([1e4, 0]);
    expect(gradOf((t) => softplus(t), x).toArray()).toEqual([1, 0]);
    // the naive formula overflows at 1e4
    expect(st.log1p(st.exp(f32([1e4]))).toArray()).toEqual([Infinity]);
  });

  it("has gradient σ(x) everywhere, 1/2 at exactly 0 (no dead subgradient)", () => {
    const x = f64(EXTREME, true);
    assertClose(gradOf((t) => softplus(t, 1, Infinity), x), EXTREME.map(sigmoid));
    expect(gradOf((t) => softplus(t), f64([0], true)).item()).toBe(0.5);
  });

  it("follows PyTorch's beta and threshold: (1/β)·log(1 + e^(βx)), and x where βx > threshold", () => {
    const xs = [-3, -0.5, 0, 0.5, 4, 9, 11];
    const y = softplus(f64(xs), 2, 20);
    assertClose(y, xs.map((v) => (2 * v > 20 ? v : refSoftplus(2 * v) / 2)));
    expect(y.dataSync()[6]).toBe(11); // 2·11 = 22 > 20: linear branch, exactly x
    expect(softplus(f64([21])).item()).toBe(21);
  });

  it("propagates NaN in value and gradient", () => {
    const x = f64([NaN, 1], true);
    const y = softplus(x);
    expect(y.dataSync()[0]).toBeNaN();
    expect(y.dataSync()[1]).toBeCloseTo(refSoftplus(1), 14);
    expect(gradOf((t) => softplus(t), x).dataSync()[0]).toBeNaN();
  });

  it("passes gradcheck and gradgradcheck (β = 1 and β = 2, both sides of the threshold)", () => {
    const x = f64([-4, -0.7, 0.3, 2.5, 12], true);
    for (const [beta, thr] of [[1, 20], [2, 20], [3, 10]] as const) {
      const r = st.gradcheck((t) => softplus(t, beta, thr), [x]);
      expect(r.ok, r.message).toBe(true);
    }
    const r2 = st.gradgradcheck((t) => softplus(t, 1, Infinity), [x]);
    expect(r2.ok, r2.message).toBe(true);
  });

  it("rejects a non-positive beta with a ValueError naming softplus", () => {
    expect(() => softplus(f32([1]), 0)).toThrow(ValueError);
    expect(() => softplus(f32([1]), -1)).toThrow(/softplus: beta/);
  });
});

describe("logSigmoid", () => {
  it("is −1e4 at −1e4 and 0 at 1e4 in float32, with gradients 1 and 0 (log(sigmoid) gives −∞)", () => {
    const x = f32([-1e4, 1e4], true);
    assertClose(logSigmoid(x), [-1e4, 0], { rtol: 0, atol: 0 });
    assertClose(gradOf(logSigmoid, x), [1, 0], { rtol: 0, atol: 0 });
    expect(st.log(st.sigmoid(f32([-1e4]))).item()).toBe(-Infinity);
  });

  it("matches −softplus(−x) in float64 with gradient σ(−x), ½ at 0", () => {
    const x = f64(EXTREME, true);
    assertClose(logSigmoid(x), EXTREME.map((v) => -refSoftplus(-v)));
    assertClose(gradOf(logSigmoid, x), EXTREME.map((v) => sigmoid(-v)));
  });

  it("propagates NaN and passes gradcheck", () => {
    expect(Number.isNaN(logSigmoid(f64([NaN])).item())).toBe(true);
    const r = st.gradcheck(logSigmoid, [f64([-8, -1, 0.25, 3], true)]);
    expect(r.ok, r.message).toBe(true);
  });
});

describe("log1mexp", () => {
  it("is accurate on both sides of −ln 2 where log(1 − eˣ) loses all digits", () => {
    const xs = [-1e-10, -1e-3, -0.5, -Math.LN2, -0.7, -5, -40];
    // float64 references: log(−expm1(x)) near 0, log1p(−eˣ) far from it
    const ref = xs.map((v) => (v > -Math.LN2 ? Math.log(-Math.expm1(v)) : Math.log1p(-Math.exp(v))));
    assertClose(log1mexp(f64(xs)), ref);
    expect(Math.abs(log1mexp(f64([-1e-10])).item() - ref[0]!)).toBeLessThan(1e-14);
    // the naive form is off by ~1e−7 at −1e−10 and gives exactly 0 at −40 (log1mexp: −4.2e−18)
    expect(Math.abs(Math.log(1 - Math.exp(-1e-10)) - ref[0]!)).toBeGreaterThan(1e-8);
    expect(log1mexp(f64([-40])).item()).toBeCloseTo(-Math.exp(-40), 30);
  });

  it("gives 0 at −1e4 and −∞, −∞ at 0, NaN above 0 and for NaN", () => {
    const y = log1mexp(f32([-1e4, -Infinity, 0, 1, NaN])).toArray() as number[];
    expect(Math.abs(y[0]!)).toBe(0);
    expect(Math.abs(y[1]!)).toBe(0);
    expect(y[2]).toBe(-Infinity);
    expect(Number.isNaN(y[3]!)).toBe(true);
    expect(Number.isNaN(y[4]!)).toBe(true);
  });

  it("has gradient −1/expm1(−x), finite at −1e4 and −∞ (0) and −∞ at x = 0", () => {
    const xs = [-1e-3, -0.5, -2, -1e4, -Infinity];
    const g = gradOf(log1mexp, f64(xs, true)).toArray() as number[];
    assertClose(f64(g.slice(0, 3)), xs.slice(0, 3).map((v) => -1 / Math.expm1(-v)));
    expect(Math.abs(g[3]!)).toBe(0);
    expect(Math.abs(g[4]!)).toBe(0);
    expect(gradOf(log1mexp, f64([0], true)).item()).toBe(-Infinity);
  });

  it("passes gradcheck on both branches", () => {
    const r = st.gradcheck(log1mexp, [f64([-0.01, -0.4, -0.69, -0.7, -3, -20], true)]);
    expect(r.ok, r.message).toBe(true);
  });
});

describe("xlogy", () => {
  it("is 0 where x = 0, even for y = 0 and y = ∞; x·log y elsewhere", () => {
    const y = xlogy(f64([0, 0, 0, 2, -3, 1e4]), f64([0, Infinity, 5, Math.E, 1e-300, 1e4])).toArray() as number[];
    expect(y.slice(0, 3)).toEqual([0, 0, 0]);
    assertClose(f64(y.slice(3)), [2, -3 * Math.log(1e-300), 1e4 * Math.log(1e4)]);
    expect(st.mul(f64([0]), st.log(f64([0]))).item()).toBeNaN(); // what xlogy avoids
  });

  it("propagates NaN from either side, including xlogy(0, NaN) (PyTorch)", () => {
    const y = xlogy(f64([0, NaN, 1]), f64([NaN, 1, NaN])).toArray() as number[];
    expect(y.every((v) => Number.isNaN(v))).toBe(true);
  });

  it("broadcasts and accepts numbers on either side", () => {
    const y = xlogy(f64([[0], [2]]), f64([1, Math.E]));
    expect(y.shape).toEqual([2, 2]);
    assertClose(y, [[0, 0], [0, 2]]);
    assertClose(xlogy(3, f64([Math.E])), [3]);
    assertClose(xlogy(f64([0, 2]), 0), [0, -Infinity]);
    expect(() => xlogy(1, 2)).toThrow(DTypeError);
  });

  it("has PyTorch's gradients: ∂x = log y and ∂y = x/y, both 0 where x = 0", () => {
    const x = f64([0, 2, 0.5], true);
    const y = f64([0, 4, 3], true);
    const [gx, gy] = st.autograd.grad(xlogy(x, y).sum(), [x, y]);
    assertClose(gx!, [0, Math.log(4), Math.log(3)]);
    assertClose(gy!, [0, 0.5, 0.5 / 3]);
  });

  it("passes gradcheck in x and y", () => {
    const r = st.gradcheck(xlogy, [f64([0.3, -1.2, 2], true), f64([0.5, 1.5, 3], true)]);
    expect(r.ok, r.message).toBe(true);
  });
});

describe("safeLog", () => {
  it("floors log at −100 (PyTorch's BCE clamp): log 0 → −100 with gradient 0, not −∞ and NaN", () => {
    const x = f32([0, 1, Math.E], true);
    assertClose(safeLog(x), [-100, 0, 1]);
    assertClose(gradOf((t) => safeLog(t), x), [0, 1, 1 / Math.E]);
    const naive = f32([0], true);
    const [g] = st.autograd.grad(st.clamp(st.log(naive), -100).sum(), [naive]);
    expect(g!.item()).toBeNaN(); // 0 · (1/0): the NaN safeLog exists to prevent
  });

  it("clamps values below e^minLog, keeps NaN and gives NaN for negative inputs", () => {
    const y = safeLog(f64([1e-50, NaN, -1, 1e4]), -100).toArray() as number[];
    expect(y[0]).toBe(-100);
    expect(Number.isNaN(y[1]!)).toBe(true);
    expect(Number.isNaN(y[2]!)).toBe(true);
    expect(y[3]).toBeCloseTo(Math.log(1e4), 12);
    expect(safeLog(f64([0]), -5).item()).toBe(-5);
  });

  it("passes gradcheck away from the floor", () => {
    const r = st.gradcheck((t) => safeLog(t), [f64([1e-3, 0.2, 1, 7], true)]);
    expect(r.ok, r.message).toBe(true);
  });
});

describe("logsumexp and logSoftmax (re-exported ops)", () => {
  it("logsumexp at ±1e4: finite and exact, where log(sum(exp)) overflows", () => {
    const x = f32([[1e4, 1e4], [-1e4, -1e4], [1e4, -1e4]]);
    assertClose(logsumexp(x, 1), [1e4 + Math.LN2, -1e4 + Math.LN2, 1e4]);
    expect(st.log(st.exp(x).sum(1)).toArray()).toContain(Infinity);
  });

  it("handles −∞ masks: masked entries are ignored, an all-masked row gives −∞", () => {
    assertClose(logsumexp(f64([[0, -Infinity, Math.log(3)], [-Infinity, -Infinity, -Infinity]]), 1), [Math.log(4), -Infinity]);
    // gradient of a partly masked row: softmax weights, exactly 0 on the masked entry
    // (an all-masked row has a NaN gradient, as in PyTorch: exp(−∞ − (−∞)))
    const x = f64([[0, -Infinity, Math.log(3)]], true);
    const [g] = st.autograd.grad(logsumexp(x, 1).sum(), [x]);
    assertClose(g!, [[0.25, 0, 0.75]]);
  });

  it("logSoftmax at ±1e4 is finite; −∞ masks give −∞ only where masked", () => {
    const y = logSoftmax(f32([[1e4, 0, -1e4], [0, -Infinity, 0]]), 1);
    assertClose(y, [[0, -1e4, -2e4], [-Math.LN2, -Infinity, -Math.LN2]]);
    expect(st.log(st.softmax(f32([1e4, 0, -1e4]), 0)).toArray()).toContain(-Infinity);
  });

  it("zero variance: a constant row gives the uniform log-probabilities −log C, gradients sum to 0", () => {
    const x = f64([[7, 7, 7, 7]], true);
    assertClose(logSoftmax(x, 1), [[-Math.log(4), -Math.log(4), -Math.log(4), -Math.log(4)]]);
    const [g] = st.autograd.grad(logSoftmax(x, 1).index(null, 0).sum(), [x]);
    assertClose(g!, [[0.75, -0.25, -0.25, -0.25]]);
  });

  it("NaN propagates through both", () => {
    expect(logsumexp(f64([1, NaN]), 0).item()).toBeNaN();
    expect((logSoftmax(f64([1, NaN]), 0).toArray() as number[]).every(Number.isNaN)).toBe(true);
  });

  it("pass gradcheck", () => {
    const x = f64([[0.3, -1, 2], [5, 5.5, -3]], true);
    const r1 = st.gradcheck((t) => logsumexp(t, 1), [x]);
    expect(r1.ok, r1.message).toBe(true);
    const r2 = st.gradcheck((t) => logSoftmax(t, 1), [x]);
    expect(r2.ok, r2.message).toBe(true);
  });
});

describe("allclose", () => {
  it("uses |a − b| ≤ atol + rtol·|b| with PyTorch's defaults (rtol 1e-5, atol 1e-8)", () => {
    expect(st.allclose(f64([1e4]), f64([1e4 + 0.09]))).toBe(true);
    expect(st.allclose(f64([1e4]), f64([1e4 + 0.11]))).toBe(false);
    expect(st.allclose(f64([0]), f64([1e-9]))).toBe(true);
    expect(st.allclose(f64([0]), f64([1e-7]))).toBe(false);
    expect(st.allclose(f64([1]), f64([1.1]), { rtol: 0.1 })).toBe(true);
    expect(st.allclose(f64([1]), f64([1.1]), { atol: 0.05 })).toBe(false);
  });

  it("treats equal infinities as close and NaN as close only with equalNaN", () => {
    expect(st.allclose(f32([Infinity, -Infinity]), f32([Infinity, -Infinity]))).toBe(true);
    expect(st.allclose(f32([Infinity]), f32([-Infinity]))).toBe(false);
    expect(st.allclose(f32([Infinity]), f32([3e38]))).toBe(false);
    expect(st.allclose(f32([NaN]), f32([NaN]))).toBe(false);
    expect(st.allclose(f32([NaN]), f32([NaN]), { equalNaN: true })).toBe(true);
    expect(st.allclose(f32([NaN]), f32([1]), { equalNaN: true })).toBe(false);
  });

  it("broadcasts, compares across dtypes in float64 and rejects incompatible shapes", () => {
    expect(st.allclose(f32([[1, 1], [1, 1]]), 1)).toBe(true);
    expect(st.allclose(f32([[1, 1], [1, 2]]), f64([1, 1]))).toBe(false);
    // float32(0.1) is 1.5e−9 away from float64 0.1: close at PyTorch's defaults, not at rtol 1e−9
    expect(st.allclose(f32([0.1]), f64([0.1]))).toBe(true);
    expect(st.allclose(f32([0.1]), f64([0.1]), { rtol: 1e-9, atol: 0 })).toBe(false);
    expect(() => st.allclose(f32([1, 2, 3]), f32([1, 2]))).toThrow(ShapeError);
  });
});

describe("ulpDistance", () => {
  it("counts representable values between two numbers in float64 and float32", () => {
    expect(ulpDistance(1, 1)).toBe(0);
    expect(ulpDistance(1, 1 + 2 ** -52)).toBe(1);
    expect(ulpDistance(1, 1 - 2 ** -53)).toBe(1); // below 1 the spacing halves
    expect(ulpDistance(1, 1 + 2 ** -23, "float32")).toBe(1);
    expect(ulpDistance(1, 1 + 4 * 2 ** -23, "float32")).toBe(4);
    expect(ulpDistance(0.1, 0.1 + 1e-17, "float32")).toBe(0); // both round to the same float32
  });

  it("crosses zero, treats ±0 as equal, reaches ∞ in one step from the largest finite, and NaN is NaN", () => {
    expect(ulpDistance(0, -0)).toBe(0);
    expect(ulpDistance(Number.MIN_VALUE, -Number.MIN_VALUE)).toBe(2);
    expect(ulpDistance(Number.MAX_VALUE, Infinity)).toBe(1);
    expect(ulpDistance(3.4028234663852886e38, Infinity, "float32")).toBe(1);
    expect(ulpDistance(NaN, 1)).toBeNaN();
  });

  it("gives the largest distance over tensors, in the tensors' dtype", () => {
    const a = f32([1, 2, 3]);
    const b = f32([1, 2 + 2 * 2 ** -22, 3]);
    expect(ulpDistance(a, b)).toBe(2);
    expect(ulpDistance(a.double(), b.double())).toBe(2 * 2 ** 29);
    expect(() => ulpDistance(a, b, "int32" as "float32")).toThrow(DTypeError);
  });
});

describe("assertClose", () => {
  it("passes within the dtype's default tolerance and fails just outside it", () => {
    expect(() => assertClose(f32([1]), f32([1 + 1e-6]))).not.toThrow();
    expect(() => assertClose(f32([1]), f32([1 + 2e-5]))).toThrow(ValueError);
    expect(() => assertClose(f64([1]), f64([1 + 1e-8]))).not.toThrow();
    expect(() => assertClose(f64([1]), f64([1 + 1e-6]))).toThrow(ValueError);
    expect(() => assertClose(st.tensor([1, 2]), [1, 2])).not.toThrow();
    expect(() => assertClose(st.tensor([1, 2]), [1, 3])).toThrow(ValueError);
  });

  it("reports how many elements failed and the worst one with its index", () => {
    const a = f64([[1, 2], [3, 4]]);
    expect(() => assertClose(a, [[1, 2.5], [3, 4.01]], { msg: "layer out" }))
      .toThrow(/layer out: assertClose: 2 of 4 elements \(50\.0%\) are not close .*worst at index \[0, 1\]: actual 2 vs expected 2\.5/);
  });

  it("checks shape and dtype, counts NaN = NaN by default", () => {
    expect(() => assertClose(f32([1, 2]), [[1, 2]])).toThrow(ShapeError);
    expect(() => assertClose(f32([1]), f64([1]))).toThrow(DTypeError);
    expect(() => assertClose(f32([1]), f64([1]), { checkDtype: false })).not.toThrow();
    expect(() => assertClose(f32([NaN, 1]), [NaN, 1])).not.toThrow();
    expect(() => assertClose(f32([NaN]), [NaN], { equalNaN: false })).toThrow(/actual NaN vs expected NaN/);
    expect(() => assertClose(f32([Infinity]), [Infinity])).not.toThrow();
  });
});
