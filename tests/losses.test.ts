// Losses beyond the PyTorch fixtures: float64 gradchecks (input and, where differentiable, target),
// stability at extreme logits, hand-computed values, every bad-input error, and the Module forms
// (printing, nesting, weight buffers in the state dict).

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { DTypeError, IndexError, ShapeError, Tensor, ValueError } from "../src/index.js";
import * as L from "../src/nn/losses/index.js";
import { Module } from "../src/nn/module.js";

const { assertClose } = st.numerics;
const f64 = (v: st.NestedArray, requiresGrad = false) => st.tensor(v, { dtype: "float64", requiresGrad });
const f32 = (v: number[] | number[][], requiresGrad = false) => st.tensor(v, { dtype: "float32", requiresGrad });
const i32 = (v: st.NestedArray) => st.tensor(v, { dtype: "int32" });
const randn64 = (shape: number[], seed: number, scale = 1) =>
  st.randn(shape, { dtype: "float64", generator: new st.Generator(seed) }).mul(scale).detach().requiresGrad_(true);
const probs64 = (shape: number[], seed: number) =>
  st.softmax(st.randn(shape, { dtype: "float64", generator: new st.Generator(seed) }), 1).detach().requiresGrad_(true);

function grad(out: Tensor, x: Tensor): Tensor {
  return st.autograd.grad(out, [x])[0]!;
}

function ok(r: st.GradcheckReport): void {
  expect(r.ok, r.message).toBe(true);
}

describe("gradcheck (float64) of every loss, w.r.t. input and target", () => {
  const reductions = ["mean", "sum", "none"] as const;

  it("regression losses: mse, l1, huber (δ = 1, 0.5), smoothL1 (β = 1, 0.5, 0)", () => {
    const x = randn64([3, 4], 1, 1.5);
    const y = randn64([3, 4], 2, 1.5);
    for (const reduction of reductions) {
      ok(st.gradcheck((a, b) => L.mseLoss(a!, b!, { reduction }), [x, y]));
      ok(st.gradcheck((a, b) => L.l1Loss(a!, b!, { reduction }), [x, y]));
      for (const delta of [1, 0.5]) ok(st.gradcheck((a, b) => L.huberLoss(a!, b!, { reduction, delta }), [x, y]));
      for (const beta of [1, 0.5, 0]) ok(st.gradcheck((a, b) => L.smoothL1Loss(a!, b!, { reduction, beta }), [x, y]));
    }
  });

  it("crossEntropy with class indices: weights, ignoreIndex, label smoothing, [N, C, d] inputs", () => {
    const x = randn64([5, 4], 3, 2);
    const t = i32([0, 3, 1, 1, 2]);
    const w = f64([0.5, 1.5, 1, 2]);
    for (const reduction of reductions) {
      ok(st.gradcheck((a) => L.crossEntropy(a!, t, { reduction }), [x]));
      ok(st.gradcheck((a) => L.crossEntropy(a!, t, { reduction, weight: w, ignoreIndex: 1, labelSmoothing: 0.2 }), [x]));
    }
    const x3 = randn64([2, 4, 3], 4);
    ok(st.gradcheck((a) => L.crossEntropy(a!, i32([[0, 1, 3], [2, 2, 0]]), { weight: w, labelSmoothing: 0.1 }), [x3]));
  });

  it("crossEntropy with probability targets: gradient in the logits and in the target", () => {
    const x = randn64([4, 3], 5, 2);
    const p = probs64([4, 3], 6);
    for (const reduction of reductions) {
      ok(st.gradcheck((a, b) => L.crossEntropy(a!, b!, { reduction }), [x, p]));
      ok(st.gradcheck((a, b) => L.crossEntropy(a!, b!, { reduction, weight: f64([1, 2, 0.5]), labelSmoothing: 0.3 }), [x, p]));
    }
  });

  it("weights that require grad get their gradient too (the weighted-mean denominator included)", () => {
    const x = randn64([5, 3], 7);
    const w = f64([0.5, 1.5, 1], true);
    ok(st.gradcheck((a, ww) => L.crossEntropy(a!, i32([0, 2, 1, 1, 2]), { weight: ww! }), [x, w]));
  });

  it("nllLoss with weights and ignoreIndex", () => {
    const lp = randn64([5, 4], 8);
    for (const reduction of reductions) {
      ok(st.gradcheck((a) => L.nllLoss(a!, i32([0, 3, 1, 1, 2]), { reduction, weight: f64([1, 2, 3, 4]), ignoreIndex: 3 }), [lp]));
    }
  });

  it("binaryCrossEntropy in input and target, with weights", () => {
    const x = st.sigmoid(randn64([3, 4], 9)).detach().requiresGrad_(true);
    const y = st.rand([3, 4], { dtype: "float64", generator: new st.Generator(10) }).requiresGrad_(true);
    for (const reduction of reductions) {
      ok(st.gradcheck((a, b) => L.binaryCrossEntropy(a!, b!, { reduction, weight: f64([1, 2, 0.5, 1]) }), [x, y]));
    }
  });

  it("binaryCrossEntropyWithLogits in input and target, with weight and posWeight, at logits up to ±30", () => {
    const x = randn64([3, 4], 11, 3);
    x._data.set([30, -30], 0);
    const y = st.rand([3, 4], { dtype: "float64", generator: new st.Generator(12) }).requiresGrad_(true);
    for (const reduction of reductions) {
      ok(st.gradcheck((a, b) => L.binaryCrossEntropyWithLogits(a!, b!, { reduction, weight: f64([1, 2, 0.5, 1]), posWeight: f64([3, 1, 0.5, 2]) }), [x, y]));
    }
  });

  it("second derivatives: gradgradcheck of crossEntropy and BCE-with-logits (Hessian-vector products work)", () => {
    const x = randn64([3, 4], 13);
    ok(st.gradgradcheck((a) => L.crossEntropy(a!, i32([1, 0, 3]), { labelSmoothing: 0.1 }), [x]));
    ok(st.gradgradcheck((a) => L.binaryCrossEntropyWithLogits(a!, f64([[1, 0, 1, 0], [0, 0, 1, 1], [1, 1, 1, 0]]), { posWeight: f64([2, 1, 1, 1]) }), [x]));
  });
});

describe("cross-entropy stability and semantics", () => {
  it("is finite and exact at logits ±1e4 in float32 (log(softmax) gives ∞ and NaN)", () => {
    const x = f32([[1e4, 0, -1e4], [-1e4, 1e4, 0]], true);
    const t = i32([2, 1]);
    const out = L.crossEntropy(x, t, { reduction: "none" });
    assertClose(out, [2e4, 0]);
    const g = grad(out.sum(), x);
    assertClose(g, [[1, 0, -1], [0, 0, 0]]);
    const naive = st.log(st.softmax(x.detach(), 1)).gather(1, t.unsqueeze(1)).neg();
    expect(naive.dataSync()[0]).toBe(Infinity);
  });

  it("computes hand-checked values: uniform logits give log C; weighted mean divides by Σ w[yᵢ]", () => {
    assertClose(L.crossEntropy(f64([[0, 0, 0, 0]]), i32([2])), Math.log(4));
    const x = f64([[2, 0], [0, 2]]);
    const lp = (a: number, b: number) => a - Math.log(Math.exp(a) + Math.exp(b));
    const w = f64([1, 3]);
    // targets [0, 0]: per = −w0·logp; mean = Σ / (w0 + w0)
    assertClose(L.crossEntropy(x, i32([0, 0]), { weight: w }), -(lp(2, 0) + lp(0, 2)) / 2);
    // targets [0, 1]: per = [−1·lp(2,0), −3·lp(2,0)]; mean = Σ / (1 + 3)
    assertClose(L.crossEntropy(x, i32([0, 1]), { weight: w }), -(4 * lp(2, 0)) / 4);
    assertClose(L.crossEntropy(x, i32([0, 1]), { weight: w, reduction: "sum" }), -4 * lp(2, 0));
  });

  it("ignoreIndex: ignored targets give 0, do not count in the mean, and may be any integer", () => {
    const x = f64([[1, 2, 3], [3, 2, 1], [0, 0, 5]]);
    const all = L.crossEntropy(x, i32([2, 0, 2]), { reduction: "none" }).dataSync();
    const out = L.crossEntropy(x, i32([2, -100, 2]), { reduction: "none" });
    assertClose(out, [all[0]!, 0, all[2]!]);
    assertClose(L.crossEntropy(x, i32([2, -100, 2])), (all[0]! + all[2]!) / 2);
    assertClose(L.crossEntropy(x, i32([2, 7, 2]), { ignoreIndex: 7 }), (all[0]! + all[2]!) / 2);
    // an ignoreIndex inside [0, C) ignores that class
    assertClose(L.crossEntropy(x, i32([2, 0, 2]), { ignoreIndex: 0 }), (all[0]! + all[2]!) / 2);
  });

  it("an ignored row whose logits are −∞ does not turn the loss into NaN", () => {
    const x = f64([[-Infinity, 0, 1], [0, 1, 2]], true);
    const out = L.crossEntropy(x, i32([-100, 2]));
    // the mean over the one counted row: −log softmax([0, 1, 2])[2] = log(1 + e⁻¹ + e⁻²)
    assertClose(out, Math.log(1 + Math.exp(-1) + Math.exp(-2)), { rtol: 1e-15, atol: 0 });
    // gradient: 0 on the ignored row, softmax − one-hot on the other
    const z = Math.exp(0) + Math.exp(1) + Math.exp(2);
    assertClose(grad(out, x), [[0, 0, 0], [1 / z, Math.E / z, Math.exp(2) / z - 1]], { rtol: 1e-15, atol: 1e-16 });
  });

  it("every target ignored: mean is NaN (0/0, as in PyTorch), sum is 0", () => {
    const x = f64([[1, 2], [3, 4]]);
    expect(L.crossEntropy(x, i32([-100, -100])).item()).toBeNaN();
    expect(L.crossEntropy(x, i32([-100, -100]), { reduction: "sum" }).item()).toBe(0);
  });

  it("probability targets: masked (−∞) classes with p = 0 give a finite loss and gradient", () => {
    const x = f64([[0, -Infinity, Math.log(3)]], true);
    const p = f64([[0.5, 0, 0.5]]);
    const out = L.crossEntropy(x, p);
    assertClose(out, -(0.5 * Math.log(0.25) + 0.5 * Math.log(0.75)));
    assertClose(grad(out, x), [[0.25 - 0.5, 0, 0.75 - 0.5]]);
  });

  it("probability targets equal to one-hot class indices give the same loss, smoothing included", () => {
    const x = randn64([4, 3], 20);
    const t = i32([0, 2, 1, 2]);
    const oneHot = st.oneHot(t, 3).to("float64");
    assertClose(L.crossEntropy(x, oneHot), L.crossEntropy(x, t).item());
    assertClose(L.crossEntropy(x, oneHot, { labelSmoothing: 0.2 }), L.crossEntropy(x, t, { labelSmoothing: 0.2 }).item());
  });

  it("accepts an unbatched [C] input with a 0-d index target or a [C] probability target", () => {
    const x = f64([1, 2, 3]);
    const ref = L.crossEntropy(x.unsqueeze(0), i32([1]), { reduction: "none" });
    const out = L.crossEntropy(x, i32(1), { reduction: "none" });
    expect(out.shape).toEqual([]);
    assertClose(out, ref.item());
    assertClose(L.crossEntropy(x, f64([0, 1, 0])), ref.item());
    expect(() => L.crossEntropy(x, i32(3))).toThrow(IndexError);
  });

  it("is crossEntropy = nllLoss(logSoftmax) for [N, C, d1, d2] inputs", () => {
    const x = randn64([2, 3, 2, 2], 21);
    const t = i32([[[0, 1], [2, 2]], [[1, 0], [0, 2]]]);
    const w = f64([1, 0.5, 2]);
    assertClose(L.crossEntropy(x, t, { weight: w, reduction: "none" }), L.nllLoss(st.logSoftmax(x, 1), t, { weight: w, reduction: "none" }));
  });
});

describe("BCE stability", () => {
  it("BCE-with-logits is finite at ±100 and ±1e4 with correct gradients σ(x) − y", () => {
    for (const big of [100, 1e4]) {
      const x = f32([big, -big, big, -big], true);
      const y = f32([1, 0, 0, 1]);
      const out = L.binaryCrossEntropyWithLogits(x, y, { reduction: "none" });
      assertClose(out, [0, 0, big, big]);
      assertClose(grad(out.sum(), x), [0, 0, 1, -1]);
    }
    // through probabilities the information is gone: σ(1e4) rounds to 1, the clamp caps the loss at 100
    const viaProbs = L.binaryCrossEntropy(st.sigmoid(f32([1e4])), f32([0]));
    expect(viaProbs.item()).toBe(100);
  });

  it("BCE-with-logits: posWeight scales the positive term, weight the whole element", () => {
    const x = f64([[0.3, -1.2]]);
    const y = f64([[1, 0.25]]);
    const sp = (v: number) => Math.log1p(Math.exp(v));
    const expected = [2 * 1 * sp(-0.3) * 1.5, 3 * 0.25 * sp(1.2) + 0.75 * sp(-1.2)];
    assertClose(L.binaryCrossEntropyWithLogits(x, y, { reduction: "none", posWeight: f64([2, 3]), weight: f64([1.5, 1]) }), [expected]);
  });

  it("BCE on probabilities clamps log at −100: saturated wrong answers give 100, never ∞ or NaN", () => {
    const x = f32([0, 1, 0, 1], true);
    const y = f32([1, 0, 0, 1]);
    const out = L.binaryCrossEntropy(x, y, { reduction: "none" });
    assertClose(out, [100, 100, 0, 0]);
    // PyTorch's gradient (x − y)/max(x(1 − x), 1e−12): huge but finite when wrong, 0 when right
    assertClose(grad(out.sum(), x), [-1e12, 1e12, 0, 0], { rtol: 1e-6 });
  });

  it("BCE equals BCE-with-logits of the logit for moderate inputs", () => {
    const z = randn64([6], 30);
    const y = f64([1, 0, 1, 0.3, 0, 1]);
    assertClose(L.binaryCrossEntropy(st.sigmoid(z), y), L.binaryCrossEntropyWithLogits(z, y).item());
  });
});

describe("bad input is caught up front with a typed error naming the loss", () => {
  const x = f32([[1, 2, 3], [4, 5, 6]]);

  it("class index out of range → IndexError naming the loss, the value, C and the shapes", () => {
    expect(() => L.crossEntropy(x, i32([0, 3]))).toThrow(IndexError);
    expect(() => L.crossEntropy(x, i32([0, 3]))).toThrow(/crossEntropy: target 3 at \[1\] is out of range for 3 classes \(input shape \[2, 3\], target shape \[2\]/);
    expect(() => L.crossEntropy(x, i32([-1, 0]))).toThrow(/target -1 at \[0\]/);
    expect(() => L.nllLoss(x, i32([0, 5]))).toThrow(/nllLoss: target 5/);
    expect(() => L.crossEntropy(x, i32([-100, 9]), { ignoreIndex: 9 })).toThrow(/target -100 .* or ignoreIndex 9/);
  });

  it("float targets where class indices are expected, and int targets where probabilities are → DTypeError", () => {
    expect(() => L.crossEntropy(x, f32([0, 1]))).toThrow(DTypeError);
    expect(() => L.crossEntropy(x, f32([0, 1]))).toThrow(/crossEntropy: target of shape \[2\] holds class indices but has dtype float32 .*target.to\("int32"\)/);
    expect(() => L.crossEntropy(x, i32([[0, 1, 0], [1, 0, 0]]))).toThrow(/class probabilities, but dtype int32/);
    expect(() => L.nllLoss(x, f32([[0, 1, 0], [1, 0, 0]]))).toThrow(DTypeError);
    expect(() => L.crossEntropy(x, f64([[0, 1, 0], [1, 0, 0]]))).toThrow(/float32 but probability target is float64/);
    expect(() => L.mseLoss(x, i32([[1, 2, 3], [4, 5, 6]]))).toThrow(/mseLoss: target must be a float32 or float64 tensor \(got int32/);
    expect(() => L.crossEntropy(i32([[1, 2]]), i32([0]))).toThrow(/crossEntropy: input must be float32 or float64/);
    expect(() => L.binaryCrossEntropyWithLogits(x, st.tensor([[true, false, true], [true, true, true]]))).toThrow(DTypeError);
  });

  it("mismatched shapes → ShapeError naming both shapes", () => {
    expect(() => L.crossEntropy(x, i32([0, 1, 2]))).toThrow(ShapeError);
    expect(() => L.crossEntropy(x, i32([0, 1, 2]))).toThrow(/crossEntropy: target shape \[3\] does not fit input shape \[2, 3\] \(expected int32 class indices of shape \[2\] or float32 class probabilities of shape \[2, 3\]\)/);
    expect(() => L.mseLoss(x, f32([1, 2, 3]))).toThrow(/mseLoss: input shape \[2, 3\] and target shape \[3\] differ/);
    expect(() => L.l1Loss(f32([[1], [2]]), f32([1, 2]))).toThrow(ShapeError);
    expect(() => L.binaryCrossEntropy(f32([0.5]), f32([1, 0]))).toThrow(ShapeError);
    expect(() => L.crossEntropy(x, i32([0, 1]), { weight: f32([1, 2]) })).toThrow(/weight must have shape \[3\]/);
    expect(() => L.binaryCrossEntropyWithLogits(x, x, { posWeight: f32([1, 2]) })).toThrow(/posWeight of shape \[2\] does not broadcast to the input's shape \[2, 3\]/);
    expect(() => L.crossEntropy(st.scalar(1.5), i32(0))).toThrow(ShapeError);
  });

  it("mismatched dtypes and out-of-range probabilities", () => {
    expect(() => L.mseLoss(x, x.double())).toThrow(/mseLoss: input is float32 but target is float64/);
    expect(() => L.binaryCrossEntropy(f32([1.5]), f32([1]))).toThrow(ValueError);
    expect(() => L.binaryCrossEntropy(f32([-0.1]), f32([1]))).toThrow(/binaryCrossEntropy: input must hold probabilities in \[0, 1\] \(got -0.1/);
  });

  it("bad options → ValueError", () => {
    expect(() => L.mseLoss(x, x, { reduction: "avg" as "mean" })).toThrow(/mseLoss: reduction must be "mean", "sum" or "none" \(got "avg"\)/);
    expect(() => L.huberLoss(x, x, { delta: 0 })).toThrow(ValueError);
    expect(() => L.smoothL1Loss(x, x, { beta: -1 })).toThrow(ValueError);
    expect(() => L.crossEntropy(x, i32([0, 1]), { labelSmoothing: 1.5 })).toThrow(/labelSmoothing must be in \[0, 1\]/);
    expect(() => L.crossEntropy(x, i32([0, 1]), { ignoreIndex: 0.5 })).toThrow(ValueError);
    expect(() => new L.HuberLoss({ delta: -1 })).toThrow(/HuberLoss: delta/);
    expect(() => new L.CrossEntropyLoss({ labelSmoothing: -0.1 })).toThrow(ValueError);
  });

  it("a non-finite loss from finite-looking input is returned, not raised (the trainer decides)", () => {
    expect(L.mseLoss(f32([3e38]), f32([-3e38])).item()).toBe(Infinity);
    expect(L.mseLoss(f32([NaN]), f32([0])).item()).toBeNaN();
  });
});

describe("loss modules", () => {
  it("match the functional forms and keep their options", () => {
    const x = randn64([4, 3], 40);
    const t = i32([0, 2, 1, 1]);
    const w = f64([1, 2, 3]);
    const m = new L.CrossEntropyLoss({ weight: w, labelSmoothing: 0.1, reduction: "sum" });
    assertClose(m.call(x, t), L.crossEntropy(x, t, { weight: w, labelSmoothing: 0.1, reduction: "sum" }).item());
    expect(m.reduction).toBe("sum");
    expect(new L.HuberLoss({ delta: 2 }).delta).toBe(2);
    assertClose(new L.SmoothL1Loss({ beta: 0.5 }).call(x, x.mul(2)), L.smoothL1Loss(x, x.mul(2), { beta: 0.5 }).item());
  });

  it("print like PyTorch by default and show non-default settings", () => {
    expect(String(new L.MSELoss())).toBe("MSELoss()");
    expect(String(new L.CrossEntropyLoss())).toBe("CrossEntropyLoss()");
    expect(String(new L.CrossEntropyLoss({ labelSmoothing: 0.1, reduction: "sum" }))).toBe("CrossEntropyLoss(reduction=sum, label_smoothing=0.1)");
    expect(String(new L.HuberLoss({ delta: 0.5 }))).toBe("HuberLoss(delta=0.5)");
  });

  it("are Modules: weights are buffers under PyTorch's keys, converted by .to(dtype), nested in models", () => {
    const m = new L.BCEWithLogitsLoss({ weight: f32([1, 2]), posWeight: f32([3, 4]) });
    expect(m).toBeInstanceOf(Module);
    expect(Object.keys(m.stateDict())).toEqual(["weight", "pos_weight"]);
    expect(m.parameters()).toEqual([]);
    m.double();
    expect(m.weight!.dtype).toBe("float64");
    expect(Object.keys(new L.CrossEntropyLoss().stateDict())).toEqual([]);

    class WithLoss extends Module<[Tensor, Tensor], Tensor> {
      criterion = new L.NLLLoss({ ignoreIndex: 0 });
      forward(x: Tensor, t: Tensor) { return this.criterion.call(st.logSoftmax(x, 1), t); }
    }
    const net = new WithLoss();
    expect(String(net)).toBe("WithLoss(\n  (criterion): NLLLoss(ignore_index=0)\n)");
    const x = randn64([3, 4], 41);
    assertClose(net.call(x, i32([1, 0, 3])), L.crossEntropy(x, i32([1, 0, 3]), { ignoreIndex: 0 }).item());
  });
});

describe("public API", () => {
  it("exposes the losses as st.nn.functional.* / st.nn.F.* and st.nn.*Loss, clipping as st.nn.utils.*", () => {
    expect(st.nn.functional.crossEntropy).toBe(L.crossEntropy);
    expect(st.nn.F.binaryCrossEntropyWithLogits).toBe(L.binaryCrossEntropyWithLogits);
    for (const f of ["mseLoss", "l1Loss", "huberLoss", "smoothL1Loss", "nllLoss", "binaryCrossEntropy"] as const) {
      expect(typeof st.nn.functional[f]).toBe("function");
    }
    expect(new st.nn.CrossEntropyLoss()).toBeInstanceOf(st.nn.Module);
    expect(typeof st.nn.utils.clipGradNorm).toBe("function");
    expect(typeof st.nn.regularizationLoss).toBe("function");
    expect(typeof st.nn.applyConstraints).toBe("function");
    expect(st.allclose(st.tensor([1]), st.tensor([1]))).toBe(true);
    const p = st.nn.regularize(new st.nn.Parameter(st.tensor([3, 4], { dtype: "float64" })), st.nn.L2(1));
    expect(st.nn.regularizationLoss([p]).item()).toBe(25);
  });
});
