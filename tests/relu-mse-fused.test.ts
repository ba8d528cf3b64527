// The fused training-step kernels of ReLU's backward (reluBackward) and the MSE loss (the mseLoss
// primitive over mseLoss / mseLossBackward), on every backend: against the composite forms they
// replace (random inputs large enough for the native thread split, and tiny ones), PyTorch's
// threshold_backward semantics at 0, NaN and ±Inf, float32 and float64, the createGraph path
// (the composite, so second derivatives work), which kernels run, and the ONNX export of mseLoss.

import { describe, expect, it } from "vitest";
import * as st from "../src/node.js";
import type { DType, Tensor } from "../src/node.js";
import { addKernelObserver } from "../src/ops/dispatch.js";
import { describeOnBackends } from "./helpers/backends.js";
import { randomTensor } from "./helpers/data.js";
import { Module } from "../src/nn/module.js";
import { checkOrt } from "./helpers/onnx-check.js";

const F = st.nn.functional;
const DTYPES: DType[] = ["float32", "float64"];

/** Runs f and returns its result with the kernels that ran, in order. */
function kernelsOf<T>(f: () => T): { value: T; ops: string[] } {
  const ops: string[] = [];
  const off = addKernelObserver({ after: (c) => void ops.push(c.op) });
  try {
    return { value: f(), ops };
  } finally {
    off();
  }
}

const arr = (t: Tensor) => Array.from(t.dataSync() as Float32Array | Float64Array);

/** Bitwise-equal arrays (NaN equals NaN, 0 and −0 differ), with the first difference reported. */
function expectSameValues(actual: Tensor, expected: Tensor, what: string): void {
  expect(actual.shape, `${what}: shape`).toEqual(expected.shape);
  expect(actual.dtype, `${what}: dtype`).toBe(expected.dtype);
  const a = arr(actual), e = arr(expected);
  const i = a.findIndex((v, k) => !Object.is(v, e[k]));
  expect(i === -1 ? null : { index: i, actual: a[i], expected: e[i] }, what).toBeNull();
}

/** The gradient of Σ relu(x)·c wrt x, and the kernels its backward ran. */
function reluGrad(x: Tensor, c: Tensor, createGraph = false): { g: Tensor; ops: string[] } {
  const y = st.relu(x);
  const { value, ops } = kernelsOf(() => st.autograd.grad(y.mul(c).sum(), [x], { createGraph })[0]!);
  return { g: value, ops };
}

describeOnBackends("reluBackward", () => {
  for (const dtype of DTYPES) {
    for (const n of [5, 300, 70001]) {
      it(`${dtype} n=${n}: equals the composite where(y ≤ 0, 0, g) and runs one kernel`, () => {
        const x = randomTensor([n], 11 + n, { dtype, lo: -2, hi: 2 });
        const c = randomTensor([n], 12 + n, { dtype, requiresGrad: false });
        const { g, ops } = reluGrad(x, c);
        const y = st.relu(x.detach());
        expectSameValues(g, st.where(st.le(y, 0), 0, c), "gradient");
        expect(ops).toContain("reluBackward");
        expect(ops).not.toContain("where");
      });
    }

    it(`${dtype}: PyTorch's threshold_backward at 0 — y = NaN passes g, y = ±0 and −Inf give 0, g = NaN/Inf only where y > 0`, () => {
      // x:  NaN  0  −0  1  Inf  −Inf  −1   2    3    −2   −3
      // g:  2    3   4  5  6    7     8    NaN  Inf  NaN  -Inf
      const x = st.tensor([NaN, 0, -0, 1, Infinity, -Infinity, -1, 2, 3, -2, -3], { dtype, requiresGrad: true });
      const c = st.tensor([2, 3, 4, 5, 6, 7, 8, NaN, Infinity, NaN, -Infinity], { dtype });
      const { g, ops } = reluGrad(x, c);
      expect(ops).toContain("reluBackward");
      // torch.ops.aten.threshold_backward(g, relu(x), 0) gives exactly these (checked with PyTorch 1.13)
      expect(arr(g)).toEqual([2, 0, 0, 5, 6, 0, 0, NaN, Infinity, 0, 0]);
      // and the createGraph path (the differentiable composite) agrees element for element
      expectSameValues(reluGrad(x, c, true).g, g, "createGraph gradient");
    });
  }

  it("with createGraph the backward is differentiable ops (no reluBackward) and gradients of gradients flow to the cotangent", () => {
    const x = randomTensor([4, 5], 21, { lo: -1, hi: 1 });
    const c = randomTensor([4, 5], 22);
    const { g, ops } = reluGrad(x, c, true);
    expect(ops).not.toContain("reluBackward");
    expect(ops).toContain("where");
    // d/dc Σ (∂/∂x Σ relu(x)·c)·w = w where x > 0, else 0
    const w = randomTensor([4, 5], 23, { requiresGrad: false });
    const dc = st.autograd.grad(g.mul(w).sum(), [c])[0]!;
    expectSameValues(dc, st.where(st.gt(x.detach(), 0), w, 0), "second derivative wrt the cotangent");
    expect(st.gradgradcheck((a) => st.relu(a!), [randomTensor([3, 4], 24, { lo: 0.1, hi: 1 })]).ok).toBe(true);
  });
});

/** mseLoss (the primitive) and the composite, with their gradients for x and t when they require them. */
function mseBoth(x: Tensor, t: Tensor, reduction: "mean" | "sum" | "none") {
  const seed = randomTensor(reduction === "none" ? x.shape : [], 41, { dtype: x.dtype, requiresGrad: false });
  const run = (fused: boolean) => {
    const params = [x, t].filter((p) => p.requiresGrad);
    return kernelsOf(() => {
      const loss = fused ? F.mseLoss(x, t, { reduction }) : composite(x, t, reduction);
      const grads = st.autograd.grad(loss.mul(seed).sum(), params);
      return { loss, grads: grads.map((g) => g!) };
    });
  };
  return { fused: run(true), comp: run(false) };
}

function composite(x: Tensor, t: Tensor, reduction: "mean" | "sum" | "none"): Tensor {
  const per = st.square(st.sub(x, t));
  return reduction === "none" ? per : reduction === "sum" ? st.sum(per) : st.mean(per);
}

describeOnBackends("mseLoss primitive", (backend) => {
  for (const dtype of DTYPES) {
    for (const reduction of ["mean", "sum", "none"] as const) {
      for (const shape of [[3, 4], [70, 1001]]) {
        it(`${dtype} ${reduction} ${JSON.stringify(shape)}: loss and both gradients equal the composite's`, () => {
          const x = randomTensor(shape, 31, { dtype, lo: -3, hi: 3 });
          const t = randomTensor(shape, 32, { dtype, lo: -3, hi: 3 });
          const { fused, comp } = mseBoth(x, t, reduction);
          expect(fused.ops.filter((o) => o.startsWith("mse"))).toEqual(["mseLoss", "mseLossBackward"]);
          expect(fused.ops).not.toContain("square");
          // the gradients are elementwise, rounded where the composite rounds: equal on every backend
          expectSameValues(fused.value.grads[0]!, comp.value.grads[0]!, "dx");
          expectSameValues(fused.value.grads[1]!, comp.value.grads[1]!, "dt");
          expectSameValues(fused.value.grads[1]!, fused.value.grads[0]!.neg(), "dt = −dx");
          if (reduction === "none" || backend === "js") {
            // per element, and the js sum (sequential, float64): equal bit for bit
            expectSameValues(fused.value.loss, comp.value.loss, "loss");
          } else {
            // native sums in another order (ours in float64 blocks, the composite's in vector lanes):
            // equal to summation rounding (PyTorch's float32 rtol; ~√n·ε for 70 070 float64 terms)
            const a = fused.value.loss.item(), e = comp.value.loss.item();
            expect(Math.abs(a - e)).toBeLessThanOrEqual(Math.abs(e) * (dtype === "float32" ? 1.3e-6 : 1e-13));
          }
        });
      }
    }

    it(`${dtype}: only the target requiring grad gets dt alone (mseLossBackward writes one output)`, () => {
      const x = randomTensor([300], 51, { dtype, requiresGrad: false });
      const t = randomTensor([300], 52, { dtype });
      const { value, ops } = kernelsOf(() => st.autograd.grad(F.mseLoss(x, t, { reduction: "sum" }), [t])[0]!);
      expect(ops).toContain("mseLossBackward");
      expectSameValues(value, st.sub(x, t.detach()).mul(2).neg(), "dt = −2(x − t)");
    });

    it(`${dtype}: exact values, NaN and Inf propagate, empty input gives NaN (mean) and 0 (sum)`, () => {
      const x = st.tensor([1, 2, 3, 4], { dtype, requiresGrad: true });
      const t = st.tensor([1, 4, 0, 4], { dtype });
      const loss = F.mseLoss(x, t);
      expect(loss.item()).toBe(13 / 4);
      loss.backward();
      expect(arr(x.grad!)).toEqual([0, -1, 1.5, 0]); // 2(x − t)/4
      expect(F.mseLoss(st.tensor([NaN, 1], { dtype }), st.tensor([0, 1], { dtype })).item()).toBeNaN();
      expect(F.mseLoss(st.tensor([Infinity, 1], { dtype }), st.tensor([0, 1], { dtype }), { reduction: "sum" }).item()).toBe(Infinity);
      expect(F.mseLoss(st.tensor([Infinity], { dtype }), st.tensor([Infinity], { dtype })).item()).toBeNaN(); // Inf − Inf
      const e = st.zeros([0, 3], { dtype });
      expect(F.mseLoss(e, e).item()).toBeNaN();
      expect(F.mseLoss(e, e, { reduction: "sum" }).item()).toBe(0);
      expect(F.mseLoss(e, e, { reduction: "none" }).shape).toEqual([0, 3]);
    });
  }

  it("float32 sums accumulate in float64: 2²⁴ + 1 + 1 … is not lost", () => {
    // the rounded squares are 4096² = 2²⁴, then ones: a float32 running sum would stay at 2²⁴
    const n = 4097;
    const x = st.ones([n]).mul(st.tensor(Float32Array.from({ length: n }, (_, i) => (i === 0 ? 4096 : 1))));
    expect(F.mseLoss(x, st.zeros([n]), { reduction: "sum" }).item()).toBe(2 ** 24 + 4096);
  });

  it("with createGraph the backward is the composite: gradients of gradients reach x, t and the cotangent", () => {
    const x = randomTensor([3, 4], 61), t = randomTensor([3, 4], 62);
    const { value: gx, ops } = kernelsOf(() => st.autograd.grad(F.mseLoss(x, t), [x], { createGraph: true })[0]!);
    expect(ops).not.toContain("mseLossBackward");
    // gx = 2(x − t)/12: ∂(Σ gx)/∂x = 1/6 everywhere, ∂/∂t = −1/6
    const [hx, ht] = st.autograd.grad(gx.sum(), [x, t]);
    expect(arr(hx!).every((v) => Math.abs(v - 1 / 6) < 1e-15)).toBe(true);
    expect(arr(ht!).every((v) => Math.abs(v + 1 / 6) < 1e-15)).toBe(true);
    for (const reduction of ["mean", "sum", "none"] as const) {
      expect(st.gradgradcheck((a, b) => F.mseLoss(a!, b!, { reduction }), [randomTensor([2, 3], 63), randomTensor([2, 3], 64)]).ok, reduction).toBe(true);
    }
  });
});

/** Returns mseLoss of x against tanh(x) under each reduction (a loss inside a traced forward). */
class MseZoo extends Module<[Tensor], Tensor[]> {
  forward(x: Tensor): Tensor[] {
    const t = x.tanh();
    return [F.mseLoss(x, t, { reduction: "none" }), F.mseLoss(x, t, { reduction: "sum" }), F.mseLoss(x, t)];
  }
}

describe("onnx export of mseLoss", () => {
  it("maps to Sub, Mul, ReduceSum / ReduceMean and matches ONNX Runtime at batch 3 and 5", async () => {
    st.manualSeed(5);
    const x = (b: number) => st.randn([b, 6]);
    const { session } = await checkOrt(new MseZoo(), [[x(3)], [x(5)]], { dynamicAxes: { input: { 0: "batch" } } });
    expect(session.outputNames).toHaveLength(3);
  });
});
