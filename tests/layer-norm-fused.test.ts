// nn.functional.layerNorm through the `layerNorm` primitive (fused kernels: the native addon's
// and the TypeScript reference) against the composite form it replaces, on training-sized inputs:
// outputs and the gradients of x, γ and β, in float32 and float64, with and without affine terms.
// (The op table gradchecks the primitive in float64, and its second derivatives.)

import { afterAll, describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import type { DType, Tensor } from "../src/index.js";
import { type FusedKernels, setFusedKernels } from "../src/backend/fused-registry.js";
import { fused } from "../src/backend/fused-registry.js";
import { loadNativeBackend, nativeFused } from "../src/backend/native/index.js";
import { referenceFused } from "../src/backend/native/fused-reference.js";
import { recordObservers } from "../src/ops/record.js";
import { expectClose } from "./helpers/close.js";
import { requireNative } from "./helpers/require-native.js";

const F = st.nn.functional;

/** Output and gradients (x, then weight and bias when given) of Σ y·c for a fixed c. */
function outAndGrads(x: Tensor, w: Tensor | null, b: Tensor | null, k: number): { y: Tensor; grads: Tensor[]; ops: string[] } {
  const ops: string[] = [];
  const obs = (node: { op: string }) => void ops.push(node.op);
  recordObservers.push(obs);
  let y: Tensor;
  try {
    y = F.layerNorm(x, x.shape.slice(x.ndim - k), w, b);
  } finally {
    recordObservers.splice(recordObservers.indexOf(obs), 1);
  }
  const c = st.cos(st.arange(y.size, { dtype: y.dtype }).reshape(y.shape));
  const params = [x, ...(w ? [w] : []), ...(b ? [b] : [])];
  const grads = st.autograd.grad(y.mul(c).sum(), params).map((g) => g!);
  return { y, grads, ops };
}

const native = nativeFused();
const kernelSets: [string, FusedKernels][] = [["reference", referenceFused]];
if (native) kernelSets.push(["native", native]);
else requireNative("layer-norm-fused", false, loadNativeBackend().reason);

describe("layerNorm primitive over fused kernels vs the composite form", () => {
  afterAll(() => setFusedKernels(null));

  for (const [name, kernels] of kernelSets) {
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
          setFusedKernels(null);
          const ref = outAndGrads(inputs.x, inputs.w, inputs.b, k);
          setFusedKernels(kernels);
          const got = outAndGrads(inputs.x, inputs.w, inputs.b, k);
          setFusedKernels(null);
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

  it.skipIf(!native)("the fused kernels follow the backend: setBackend(\"js\") removes them, setBackend(\"native\") restores them", () => {
    st.registerBackend(loadNativeBackend().backend!);
    st.setBackend("native");
    expect(fused.layerNormForward).toBe(native!.layerNormForward);
    const x = st.randn([3, 4]).requiresGrad_(true);
    const ops: string[] = [];
    const obs = (node: { op: string }) => void ops.push(node.op);
    recordObservers.push(obs);
    try {
      F.layerNorm(x, [4]);
      st.setBackend("js");
      expect(fused.layerNormForward).toBeUndefined();
      F.layerNorm(x, [4]);
    } finally {
      recordObservers.splice(recordObservers.indexOf(obs), 1);
      st.setBackend("js");
    }
    expect(ops[0]).toBe("layerNorm");
    expect(ops.slice(1)).not.toContain("layerNorm");
  });

  it("a constant row normalises to β (variance 0 → x̂ = 0, no NaN), forward and backward", () => {
    setFusedKernels(native ?? referenceFused);
    const x = st.full([2, 5], 3).requiresGrad_(true);
    const b = st.tensor([1, 2, 3, 4, 5]);
    const y = F.layerNorm(x, [5], null, b);
    y.sum().backward();
    setFusedKernels(null);
    expect(y.toArray()).toEqual([[1, 2, 3, 4, 5], [1, 2, 3, 4, 5]]);
    // Σⱼ x̂ⱼ is 0 for every x, so the gradient of Σ y is exactly 0 (rstd·(g − mean g − x̂·mean(g·x̂)) = 0)
    expect(x.grad!.toArray()).toEqual([[0, 0, 0, 0, 0], [0, 0, 0, 0, 0]]);
  });
});
