// Regularizers (penalty values and gradients by hand, Keras's formulas and defaults, attaching to
// parameters, regularizationLoss over a module) and constraints (each one enforces its property,
// Keras's formulas, applyConstraints in place).

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { Tensor, ValueError } from "../src/index.js";
import {
  L1, L1L2, L2, L1L2Regularizer, getRegularizer, regularizationLoss, regularize,
} from "../src/nn/regularizers.js";
import {
  applyConstraints, clipValue, constrain, getConstraint, maxNorm, minMaxNorm, nonNeg, unitNorm,
} from "../src/nn/constraints.js";
import { Module } from "../src/nn/module.js";
import { Parameter } from "../src/nn/parameter.js";

const { assertClose } = st.numerics;
const f64 = (v: st.NestedArray, requiresGrad = false) => st.tensor(v, { dtype: "float64", requiresGrad });

class TwoLayer extends Module {
  w1 = new Parameter(st.tensor([[1, -2], [0, 3]], { dtype: "float64" }));
  b1 = new Parameter(st.tensor([0.5, -0.5], { dtype: "float64" }));
  w2 = new Parameter(st.tensor([[-1, 4]], { dtype: "float64" }));
  forward(x: Tensor) { return x.matmul(this.w1.T).add(this.b1).relu().matmul(this.w2.T); }
}

describe("regularizers: values and gradients by hand", () => {
  const w = () => f64([[1, -2], [0, 3]], true);

  it("L1: l1·Σ|w| with gradient l1·sign(w) (0 at 0); Keras default l1 = 0.01", () => {
    const x = w();
    const p = L1(0.5).call(x);
    expect(p.shape).toEqual([]);
    assertClose(p, 0.5 * 6);
    assertClose(st.autograd.grad(p, [x])[0]!, [[0.5, -0.5], [0, 0.5]]);
    expect(L1().l1).toBe(0.01);
    expect(L1().l2).toBe(0);
  });

  it("L2: l2·Σw² with gradient 2·l2·w (no ½ factor, as in Keras); default l2 = 0.01", () => {
    const x = w();
    const p = L2(0.1).call(x);
    assertClose(p, 0.1 * 14);
    assertClose(st.autograd.grad(p, [x])[0]!, [[0.2, -0.4], [0, 0.6]]);
    expect(L2().l2).toBe(0.01);
  });

  it("L1L2: the sum of both; Keras's class defaults are 0 and 0 (no penalty)", () => {
    const x = w();
    const p = L1L2({ l1: 0.5, l2: 0.1 }).call(x);
    assertClose(p, 3 + 1.4);
    assertClose(st.autograd.grad(p, [x])[0]!, [[0.7, -0.9], [0, 1.1]]);
    const zero = L1L2().call(x);
    expect(zero.item()).toBe(0);
    expect(zero.requiresGrad).toBe(false);
  });

  it("penalties pass gradcheck", () => {
    const r = st.gradcheck((t) => L1L2({ l1: 0.3, l2: 0.7 }).call(t!), [f64([[0.4, -1.3], [2, -0.2]], true)]);
    expect(r.ok, r.message).toBe(true);
  });

  it("print with Keras's names and reject negative coefficients", () => {
    expect(String(L1(0.001))).toBe("L1(l1=0.001)");
    expect(String(L2())).toBe("L2(l2=0.01)");
    expect(String(L1L2({ l1: 1, l2: 2 }))).toBe("L1L2(l1=1, l2=2)");
    expect(() => L2(-1)).toThrow(/L2: l2 must be a finite number >= 0 \(got -1\)/);
    expect(() => new L1L2Regularizer(NaN, 0)).toThrow(ValueError);
  });
});

describe("regularize and regularizationLoss", () => {
  it("sums the attached penalties over a module's parameters and is differentiable", () => {
    const net = new TwoLayer();
    regularize(net.w1, L2(0.1));
    regularize(net.w2, L1(0.5));
    const r = regularizationLoss(net);
    assertClose(r, 0.1 * 14 + 0.5 * 5);
    r.backward();
    assertClose(net.w1.grad!, [[0.2, -0.4], [0, 0.6]]);
    assertClose(net.w2.grad!, [[-0.5, 0.5]]);
    expect(net.b1.grad).toBeNull(); // no penalty on the bias
    expect(getRegularizer(net.w1)).toBeInstanceOf(L1L2Regularizer);
    expect(getRegularizer(net.b1)).toBeUndefined();
  });

  it("adds to a data loss: the gradient is the data gradient plus the penalty's", () => {
    const net = new TwoLayer();
    regularize(net.w1, L2(0.25));
    const x = f64([[1, 1]]);
    const data = net.call(x).square().sum();
    const [gData] = st.autograd.grad(data, [net.w1], { retainGraph: true });
    const [gTotal] = st.autograd.grad(data.add(regularizationLoss(net)), [net.w1]);
    assertClose(gTotal!, gData!.add(net.w1.detach().mul(0.5)));
  });

  it("replaces an earlier penalty, removes one with null, accepts functions, counts shared tensors once", () => {
    const p = new Parameter(f64([3, -4]));
    regularize(p, L1(1));
    regularize(p, L2(1));
    assertClose(regularizationLoss([p]), 25);
    regularize(p, (w: Tensor) => w.abs().max());
    assertClose(regularizationLoss([p, p]), 4);
    regularize(p, null);
    const none = regularizationLoss(p);
    expect(none.item()).toBe(0);
    expect(none.requiresGrad).toBe(false);
  });

  it("rejects what is not a regularizer or a parameter source", () => {
    const p = new Parameter(f64([1]));
    expect(() => regularize(p, 0.01 as unknown as ReturnType<typeof L2>)).toThrow(ValueError);
    expect(() => regularizationLoss(42 as unknown as Tensor)).toThrow(/regularizationLoss: expected a Module, a Tensor or an iterable of Tensors/);
    regularize(p, (w: Tensor) => w.mul(2));
    expect(() => regularizationLoss(f64([1, 2]).requiresGrad_(true))).not.toThrow();
    const q = new Parameter(f64([1, 2]));
    regularize(q, (w: Tensor) => w.mul(2));
    expect(() => regularizationLoss([q])).toThrow(/returned a tensor of shape \[2\] \(expected a one-element tensor\)/);
  });
});

/** L2 norms of the slices of a 2-D array along `axis` (0: each column, 1: each row). */
function sliceNorms(t: Tensor, axis: 0 | 1): number[] {
  const a = t.toArray() as number[][];
  if (axis === 1) return a.map((r) => Math.hypot(...r));
  return a[0]!.map((_, j) => Math.hypot(...a.map((r) => r[j]!)));
}

describe("constraints enforce their property", () => {
  const W = () => f64([[3, 0.1, -6], [4, 0.2, 8]]);

  it("clipValue: every weight in [min, max] (WGAN weight clipping)", () => {
    const v = clipValue(-0.01, 0.01).apply(W());
    assertClose(v, [[0.01, 0.01, -0.01], [0.01, 0.01, 0.01]]);
    expect(() => clipValue(1, -1)).toThrow(/clipValue: min 1 is greater than max -1/);
  });

  it("maxNorm: slices above maxValue get norm maxValue (Keras's ε-scaled formula), small ones barely move", () => {
    const v = maxNorm(2, 0).apply(W()); // column norms 5, 0.224, 10
    const n = sliceNorms(v, 0);
    expect(n[0]).toBeCloseTo(2, 6);
    expect(n[2]).toBeCloseTo(2, 6);
    const small = Math.hypot(0.1, 0.2);
    expect(n[1]).toBeCloseTo(small * (small / (small + 1e-7)), 12); // Keras multiplies by n/(ε + n)
    // direction is kept
    assertClose(v.index(null, 0), [3 * 2 / (5 + 1e-7), 4 * 2 / (5 + 1e-7)]);
    // axis 1: per row, the per-unit norm of a [out, in] Linear weight
    const r = sliceNorms(maxNorm(1, 1).apply(W()), 1);
    expect(r.every((x) => x <= 1 + 1e-9)).toBe(true);
    expect(r[0]).toBeCloseTo(1, 6);
  });

  it("nonNeg: negative weights become 0, the rest stay", () => {
    assertClose(nonNeg().apply(W()), [[3, 0.1, 0], [4, 0.2, 8]]);
  });

  it("unitNorm: every slice along the axis has norm 1 (to ε)", () => {
    for (const n of sliceNorms(unitNorm(0).apply(W()), 0)) expect(n).toBeCloseTo(1, 5);
    for (const n of sliceNorms(unitNorm(1).apply(W()), 1)) expect(n).toBeCloseTo(1, 6);
    // a list of axes normalizes the whole matrix
    expect(unitNorm([0, 1]).apply(W()).square().sum().sqrt().item()).toBeCloseTo(1, 6);
  });

  it("minMaxNorm: norms land in [min, max]; rate < 1 moves only part of the way", () => {
    const n = sliceNorms(minMaxNorm({ minValue: 1, maxValue: 4 }).apply(W()), 0);
    expect(n[0]).toBeCloseTo(4, 5);
    expect(n[1]).toBeCloseTo(1, 5);
    expect(n[2]).toBeCloseTo(4, 5);
    const half = sliceNorms(minMaxNorm({ minValue: 1, maxValue: 4, rate: 0.5 }).apply(W()), 0);
    expect(half[2]).toBeCloseTo(0.5 * 4 + 0.5 * 10, 5);
    expect(() => minMaxNorm({ minValue: 2, maxValue: 1 })).toThrow(ValueError);
    expect(() => minMaxNorm({ rate: 2 })).toThrow(/rate must be in \[0, 1\]/);
  });
});

describe("constrain and applyConstraints", () => {
  it("projects attached parameters in place (same object, new values, version bumped), others untouched", () => {
    const net = new TwoLayer();
    constrain(net.w1, maxNorm(1, 1));
    constrain(net.b1, nonNeg());
    const w2Before = net.w2.dataSync();
    const v = net.w1.version;
    expect(applyConstraints(net)).toBe(2);
    expect(net.w1.version).toBe(v + 1);
    for (const n of sliceNorms(net.w1, 1)) expect(n).toBeCloseTo(1, 6);
    assertClose(net.b1, [0.5, 0]);
    expect(net.w2.dataSync()).toEqual(w2Before);
    expect(net.w1.requiresGrad).toBe(true);
    expect(net.w1.isLeaf).toBe(true);
    expect(getConstraint(net.w2)).toBeUndefined();
  });

  it("works after an optimizer-like update, inside a training step, without touching autograd", () => {
    const p = new Parameter(st.tensor([0.5, -0.5, 2], { dtype: "float32" }));
    constrain(p, clipValue(-1, 1));
    p.mul(3).sum().backward();
    st.noGrad(() => p.sub_(p.grad!.mul(0.5))); // → [−1, −2, 0.5]
    applyConstraints([p]);
    assertClose(p, [-1, -1, 0.5]);
    expect(p.grad!.dataSync()).toEqual(new Float32Array([3, 3, 3]));
  });

  it("is enforced by the optimizers after every step (the Optimizer constraint hook)", () => {
    const p = new Parameter(st.tensor([[3, 4], [0.3, 0.4]], { dtype: "float64" }));
    constrain(p, maxNorm(1, 1));
    const opt = new st.optim.SGD([p], { lr: 0.1 });
    p.sum().backward();
    opt.step(); // rows become [2.9, 3.9] (norm 4.86) and [0.2, 0.3] (norm 0.36)
    const n = sliceNorms(p, 1);
    expect(n[0]).toBeCloseTo(1, 6);
    expect(n[1]).toBeCloseTo(Math.hypot(0.2, 0.3), 6);
    constrain(p, null);
    expect("constraint" in p).toBe(false);
  });

  it("accepts a function, removes with null, and rejects a wrong-shaped result", () => {
    const p = new Parameter(f64([1, 2]));
    constrain(p, (w: Tensor) => w.mul(0));
    applyConstraints(p);
    assertClose(p, [0, 0]);
    constrain(p, null);
    expect(applyConstraints([p])).toBe(0);
    constrain(p, () => f64([1, 2, 3]));
    expect(() => applyConstraints([p])).toThrow(/returned shape \[3\] \(expected the parameter's shape\)/);
    expect(() => constrain(p, "maxNorm" as unknown as ReturnType<typeof nonNeg>)).toThrow(ValueError);
  });
});
