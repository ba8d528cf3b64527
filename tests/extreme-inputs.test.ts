// Extreme inputs: ±1e4 logits, −∞ masks, saturated sigmoids, large offsets in variances, long
// float32 sums, norms near the float32 range limits, and NaN propagation.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import type { DType, Tensor } from "../src/index.js";
import { expectClose } from "./helpers/close.js";

const FLOATS: DType[] = ["float32", "float64"];
/** One unit in the last place at 1, relative: a correctly rounded result is within this of the math. */
const ULP = { float32: 2 ** -23, float64: 2 ** -52 } as Record<DType, number>;
const allFinite = (t: Tensor) => Array.from(t.dataSync() as ArrayLike<number>).every(Number.isFinite);

describe.each(FLOATS)("softmax family at ±1e4 (%s)", (dtype) => {
  const x = () => st.tensor([1e4, 0, -1e4], { dtype, requiresGrad: true });

  it("softmax is exactly [1, 0, 0] with a finite gradient", () => {
    const t = x();
    const y = st.softmax(t, 0);
    expect(y.toArray()).toEqual([1, 0, 0]);
    y.mul(st.tensor([1, 2, 3], { dtype })).sum().backward();
    expect(allFinite(t.grad!)).toBe(true);
    expect(t.grad!.toArray()).toEqual([0, 0, 0]);
  });

  it("logSoftmax is exactly [0, −1e4, −2e4] with a finite gradient", () => {
    const t = x();
    const y = st.logSoftmax(t, 0);
    expect(y.toArray()).toEqual([0, -1e4, -2e4]);
    y.sum().backward(); // d/dx Σ logSoftmax = 1 − 3·softmax = [−2, 1, 1]
    expectClose(t.grad!, [-2, 1, 1]);
  });

  it("logsumexp of [1e4, 1e4] is 1e4 + ln 2 (to one ulp), not ∞", () => {
    const want = dtype === "float32" ? Math.fround(1e4 + Math.LN2) : 1e4 + Math.LN2;
    expectClose(st.logsumexp(st.tensor([1e4, 1e4], { dtype })), want, { rtol: ULP[dtype]!, atol: 0 });
  });
});

describe("logsumexp with −∞ entries", () => {
  it("ignores −∞ entries, and its gradient there is 0", () => {
    const x = st.tensor([-Infinity, 0, Math.log(3), -Infinity], { dtype: "float64", requiresGrad: true });
    const y = st.logsumexp(x);
    expectClose(y, Math.log(4));
    y.backward();
    expectClose(x.grad!, [0, 0.25, 0.75, 0]);
  });

  it("all −∞ gives −∞ (not NaN), per row too", () => {
    expect(st.logsumexp(st.tensor([-Infinity, -Infinity])).item()).toBe(-Infinity);
    const rows = st.tensor([[-Infinity, -Infinity, -Infinity], [0, -Infinity, 0]], { dtype: "float64" });
    expectClose(st.logsumexp(rows, 1), [-Infinity, Math.LN2]);
    expectClose(st.logsumexp(rows, 1, true), [[-Infinity], [Math.LN2]]);
  });

  it("softmax and logSoftmax with −∞ mask entries have finite gradients (values from PyTorch)", () => {
    const x = st.tensor([[0, -Infinity, 1], [-Infinity, -Infinity, 2]], { dtype: "float64", requiresGrad: true });
    const y = st.softmax(x, 1);
    expectClose(y, [[0.2689414213699951, 0, 0.7310585786300049], [0, 0, 1]], { rtol: 1e-14, atol: 0 });
    y.mul(st.tensor([[1, 2, 3], [4, 5, 6]], { dtype: "float64" })).sum().backward();
    expectClose(x.grad!, [[-0.39322386648296376, 0, 0.39322386648296354], [0, 0, 0]], { rtol: 1e-13, atol: 1e-16 });
    const z = st.tensor([[0, -Infinity, 1]], { dtype: "float64", requiresGrad: true });
    const l = st.logSoftmax(z, 1);
    expectClose(l, [[-1.3132616875182228, -Infinity, -0.3132616875182228]], { rtol: 1e-14, atol: 0 });
    st.gather(l, 1, st.tensor([[2]])).sum().backward();
    expectClose(z.grad!, [[-0.2689414213699951, 0, 0.2689414213699951]], { rtol: 1e-14, atol: 0 });
  });

  it("+∞ gives +∞ and NaN propagates", () => {
    expect(st.logsumexp(st.tensor([Infinity, 0])).item()).toBe(Infinity);
    expect(st.logsumexp(st.tensor([NaN, 0])).item()).toBeNaN();
  });
});

describe.each(FLOATS)("sigmoid at ±100 (%s)", (dtype) => {
  // σ(−100) = e⁻¹⁰⁰/(1 + e⁻¹⁰⁰) = 3.7200759760208360e-44. In float64 that is a normal number; in
  // float32 it is below the normal range (1.18e-38), and the correctly rounded float32 is the
  // subnormal 27·2⁻¹⁴⁹ = 3.7835e-44 (spacing 2⁻¹⁴⁹ = 1.4e-45), not 0: we keep it (PyTorch's vectorised
  // float32 kernel flushes it to 0). The gradient σ(1 − σ) is the same number; at +100, σ rounds to 1
  // and σ(1 − σ) to 0, as in PyTorch (the gradient is formed from the rounded output).
  const lo = dtype === "float32" ? 27 * 2 ** -149 : 3.720075976020836e-44;
  // one ulp: relative for the normal float64 value, one subnormal step for float32
  const tol = dtype === "float32" ? { rtol: 0, atol: 2 ** -149 } : { rtol: 2 ** -52, atol: 0 };

  it("is exactly 1 and the correctly rounded σ(−100), with gradients 0 and σ(−100)", () => {
    expect(Math.fround(3.720075976020836e-44)).toBe(27 * 2 ** -149);
    const x = st.tensor([100, -100], { dtype, requiresGrad: true });
    const y = x.sigmoid();
    expect(y.dataSync()[0]).toBe(1);
    expectClose(y.dataSync()[1]!, lo, { ...tol, message: "σ(−100)" });
    y.sum().backward();
    expect(x.grad!.dataSync()[0]).toBe(0);
    expectClose(x.grad!.dataSync()[1]!, lo, { ...tol, message: "σ'(−100)" });
  });

  it("tanh saturates to ±1 and exp overflows to ∞ (never NaN)", () => {
    expect(st.tensor([50, -50], { dtype }).tanh().toArray()).toEqual([1, -1]);
    expect(st.tensor([1000], { dtype }).exp().item()).toBe(Infinity);
    expect(st.tensor([-1000], { dtype }).exp().item()).toBe(0);
  });
});

describe("precision of reductions", () => {
  it("var of 1e4 ± 1 in float32 is 1 (two-pass variance)", () => {
    const vals = Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? 1e4 - 1 : 1e4 + 1));
    const x = st.tensor(vals, { dtype: "float32" });
    const v0 = x.var(undefined, { correction: 0 });
    expect(v0.dtype).toBe("float32");
    expect(Math.abs(v0.item() - 1)).toBeLessThan(1e-3);
    expect(Math.abs(x.var().item() - 1000 / 999)).toBeLessThan(1e-3);
    expect(Math.abs(x.std(undefined, { correction: 0 }).item() - 1)).toBeLessThan(1e-3);
    // the one-pass formula E[x²] − E[x]² in float32 would lose everything: 1e8 has ulp 8
    const e2 = Math.fround(vals.reduce((a, b) => a + b * b, 0) / vals.length);
    const m = Math.fround(vals.reduce((a, b) => a + b, 0) / vals.length);
    expect(Math.abs(Math.fround(e2 - Math.fround(m * m)) - 1)).toBeGreaterThan(1e-3);
  });

  it("the float32 sum of 10 million copies of 0.1 is 1e6 within 1e-6 relative", () => {
    // float32(0.1) = 0.100000001490116…, so the exact sum of the stored values is
    // 1e7·fround(0.1) = 1000000.0149…; both references round to the same float32 (1e6), and they
    // differ by 1.5e-8 relative, far inside the tolerance: the claim is about accumulation error.
    const s = st.full([1e7], 0.1).sum();
    expect(s.dtype).toBe("float32");
    const exactOfStored = 1e7 * Math.fround(0.1);
    expect(Math.abs(s.item() - 1e6) / 1e6).toBeLessThan(1e-6);
    expect(Math.abs(s.item() - exactOfStored) / exactOfStored).toBeLessThan(1e-6);
    // a naive float32 running sum misses by far more, so this check can fail
    let naive = 0;
    const v = Math.fround(0.1);
    for (let i = 0; i < 1e7; i++) naive = Math.fround(naive + v);
    expect(Math.abs(naive - 1e6) / 1e6).toBeGreaterThan(1e-2);
  });

  it("mean of a large float32 tensor keeps its precision", () => {
    const m = st.full([1e6], 1 / 3).mean().item();
    expect(Math.abs(m - Math.fround(1 / 3)) / (1 / 3)).toBeLessThan(1e-6);
  });
});

describe("norms near the float32 limits", () => {
  it("norm of [1e30, 1e30] in float32 is finite (√2·1e30) with a finite gradient", () => {
    const x = st.tensor([1e30, 1e30], { dtype: "float32", requiresGrad: true });
    const n = st.norm(x);
    expect(Number.isFinite(n.item())).toBe(true);
    expect(Math.abs(n.item() / (Math.SQRT2 * 1e30) - 1)).toBeLessThan(1e-6);
    n.backward();
    expectClose(x.grad!, [Math.SQRT1_2, Math.SQRT1_2], { rtol: 1e-6, atol: 0 });
    // √2·3e38 > float32 max: the float32 result is +∞ (PyTorch's), not NaN (which "not finite" let through)
    expect(st.norm(st.tensor([3e38, 3e38], { dtype: "float32" }), 2).item()).toBe(Infinity);
  });

  it("norm of tiny values does not underflow to 0", () => {
    const n = st.norm(st.tensor([1e-30, 1e-30], { dtype: "float32" })).item();
    expect(Math.abs(n / (Math.SQRT2 * 1e-30) - 1)).toBeLessThan(1e-6);
  });

  it("the gradient of the 2-norm at the zero vector is 0, not NaN (like PyTorch)", () => {
    const x = st.zeros([3], { dtype: "float64", requiresGrad: true });
    const n = st.norm(x);
    expect(n.item()).toBe(0);
    n.backward();
    expect(x.grad!.toArray()).toEqual([0, 0, 0]);
  });
});

describe("NaN propagation", () => {
  const withNaN = () => st.tensor([1, NaN, 3], { dtype: "float32" });

  it("max/min/sum/mean/prod reductions return NaN", () => {
    for (const f of [st.max, st.min, st.sum, st.mean, st.prod]) expect(f(withNaN()).item()).toBeNaN();
    const rows = st.tensor([[1, NaN], [2, 3]]);
    const m = st.max(rows, 1).toArray() as number[];
    expect(m[0]).toBeNaN();
    expect(m[1]).toBe(3);
    expect(st.argmax(withNaN()).item()).toBe(1); // NaN counts as the max, like PyTorch
  });

  it("relu, maximum, minimum, clamp keep NaN", () => {
    const r = st.relu(st.tensor([NaN, -1, 2])).toArray() as number[];
    expect(r[0]).toBeNaN();
    expect(r.slice(1)).toEqual([0, 2]);
    for (const f of [st.maximum, st.minimum]) {
      const v = f(st.tensor([NaN, 1, 2]), st.tensor([0, NaN, 1])).toArray() as number[];
      expect(v[0]).toBeNaN();
      expect(v[1]).toBeNaN();
      expect(v[2]).toBe(f === st.maximum ? 2 : 1);
    }
    expect(st.clamp(st.tensor([NaN]), 0, 1).item()).toBeNaN();
  });

  it("softmax of a row with NaN is NaN in that row only", () => {
    const s = st.softmax(st.tensor([[NaN, 0], [0, 0]]), 1).toArray() as number[][];
    expect(s[0]!.every(Number.isNaN)).toBe(true);
    expect(s[1]).toEqual([0.5, 0.5]);
  });

  it("isNaN / isFinite detect them", () => {
    const t = st.tensor([NaN, Infinity, -Infinity, 0]);
    expect(t.isNaN().toArray()).toEqual([true, false, false, false]);
    expect(t.isFinite().toArray()).toEqual([false, false, false, true]);
  });
});

describe("edges of the elementwise functions", () => {
  it("log, division and pow at 0 follow IEEE and PyTorch", () => {
    expect(st.tensor([0]).log().item()).toBe(-Infinity);
    expect(st.tensor([-1]).log().item()).toBeNaN();
    expect(st.div(st.tensor([1, -1]), 0).toArray()).toEqual([Infinity, -Infinity]);
    expect(st.pow(st.tensor([0]), 0).item()).toBe(1);
    const x = st.tensor([0], { dtype: "float64", requiresGrad: true });
    x.pow(0).sum().backward();
    expect(x.grad!.item()).toBe(0); // 0⁰ has gradient 0, not NaN
  });

  it("log1p and expm1 stay accurate near 0 in float64", () => {
    expectClose(st.tensor([1e-12], { dtype: "float64" }).log1p(), [1e-12 - 5e-25], { rtol: 1e-15, atol: 0 });
    expectClose(st.tensor([1e-12], { dtype: "float64" }).expm1(), [1e-12 + 5e-25], { rtol: 1e-15, atol: 0 });
  });

  it("erf saturates to ±1 in the tails", () => {
    expect(st.tensor([10, -10, 6], { dtype: "float64" }).erf().toArray()).toEqual([1, -1, 1]);
  });
});
