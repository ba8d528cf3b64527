// nn.functional.layerNorm through the `layerNorm` primitive (its kernels on the js backend — the
// TypeScript reference — and on the native one) against the composite form, on training-sized inputs:
// outputs and the gradients of x, γ and β, in float32 and float64, with and without affine terms.
// (The op table gradchecks the primitive in float64, and its second derivatives.)

import { afterAll, describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import type { DType, Tensor } from "../src/index.js";
import { loadNativeBackend } from "../src/backend/native/index.js";
import { recordObservers } from "../src/ops/record.js";
import { expectClose } from "./helpers/close.js";
import { requireNative } from "./helpers/require-native.js";

const F = st.nn.functional;

/** The composite form: (x − μ)/√(σ² + ε)·γ + β from primitives. */
function composite(x: Tensor, k: number, w: Tensor | null, b: Tensor | null): Tensor {
  const dims = x.shape.map((_, i) => i).slice(x.ndim - k);
  const xc = x.sub(x.mean(dims, true));
  let y = xc.mul(xc.square().mean(dims, true).add(1e-5).rsqrt());
  if (w) y = y.mul(w);
  if (b) y = y.add(b);
  return y;
}

/** Output and gradients (x, then weight and bias when given) of Σ y·c for a fixed c. */
function outAndGrads(x: Tensor, w: Tensor | null, b: Tensor | null, k: number, fusedForm: boolean): { y: Tensor; grads: Tensor[]; ops: string[] } {
  const ops: string[] = [];
  const obs = (node: { op: string }) => void ops.push(node.op);
  recordObservers.push(obs);
  let y: Tensor;
  try {
    y = fusedForm ? F.layerNorm(x, x.shape.slice(x.ndim - k), w, b) : composite(x, k, w, b);
  } finally {
    recordObservers.splice(recordObservers.indexOf(obs), 1);
  }
  const c = st.cos(st.arange(y.size, { dtype: y.dtype }).reshape(y.shape));
  const params = [x, ...(w ? [w] : []), ...(b ? [b] : [])];
  const grads = st.autograd.grad(y.mul(c).sum(), params).map((g) => g!);
  return { y, grads, ops };
}

const native = loadNativeBackend().backend;
const backends = native ? ["js", "native"] : ["js"];
if (native) st.registerBackend(native);
else requireNative("layer-norm-fused", false, loadNativeBackend().reason);

describe("layerNorm primitive over fused kernels vs the composite form", () => {
  afterAll(() => st.setBackend("js"));

  for (const name of backends) {
    for (const dtype of ["float32", "float64"] as DType[]) {
      for (const [shape, k, affine] of [[[16, 8, 96], 1, true], [[4, 6, 10], 2, false], [[33, 130], 1, true]] as [number[], number, boolean][]) {
        it(`${name} ${dtype} x ${JSON.stringify(shape)} over ${k} dim(s)${affine ? ", affine" : ""}`, () => {
          st.manualSeed(7);
          const make = () => {
            const x = st.randn(shape, { dtype }).mul(3).add(2).requiresGrad_(true);
            const ns = shape.slice(shape.length - k);
            const w = affine ? st.randn(ns, { dtype }).requiresGrad_(true) : null;
            const b = affine ? st.randn(ns, { dtype }).requiresGrad_(true) : null;
            return { x, w, b };
          };
          const inputs = make();
          st.setBackend("js");
          const ref = outAndGrads(inputs.x, inputs.w, inputs.b, k, false);
          st.setBackend(name);
          const got = outAndGrads(inputs.x, inputs.w, inputs.b, k, true);
          st.setBackend("js");
          // the fused path records one node; the composite one records many
          expect(got.ops).toEqual(["layerNorm"]);
          expect(ref.ops).not.toContain("layerNorm");
          const tol = dtype === "float32" ? { rtol: 1e-4, atol: 1e-5 } : { rtol: 1e-10, atol: 1e-11 };
          expectClose(got.y, ref.y, { dtype, ...tol, message: "output" });
          got.grads.forEach((g, i) => expectClose(g, ref.grads[i]!, { dtype, ...tol, message: `gradient ${i}` }));
        });
      }
    }
  }

  it.skipIf(!native)("layerNorm is the same primitive on every backend: one layerNorm node on native and on js", () => {
    st.setBackend("native");
    const x = st.randn([3, 4]).requiresGrad_(true);
    const ops: string[] = [];
    const obs = (node: { op: string }) => void ops.push(node.op);
    recordObservers.push(obs);
    try {
      F.layerNorm(x, [4]);
      st.setBackend("js");
      F.layerNorm(x, [4]);
    } finally {
      recordObservers.splice(recordObservers.indexOf(obs), 1);
      st.setBackend("js");
    }
    expect(ops).toEqual(["layerNorm", "layerNorm"]);
  });

  it("a constant row normalises to β (variance 0 → x̂ = 0, no NaN), forward and backward", () => {
    const x = st.full([2, 5], 3).requiresGrad_(true);
    const b = st.tensor([1, 2, 3, 4, 5]);
    const y = F.layerNorm(x, [5], null, b);
    y.sum().backward();
    expect(y.toArray()).toEqual([[1, 2, 3, 4, 5], [1, 2, 3, 4, 5]]);
    // Σⱼ x̂ⱼ is 0 for every x, so the gradient of Σ y is exactly 0 (rstd·(g − mean g − x̂·mean(g·x̂)) = 0)
    expect(x.grad!.toArray()).toEqual([[0, 0, 0, 0, 0], [0, 0, 0, 0, 0]]);
  });
});
