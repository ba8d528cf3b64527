// LayerNorm as one primitive over the fused kernels (backend/fused-registry): one pass forward,
// one pass backward, instead of the ~10 elementwise ops and reductions of the composite form.
// nn.functional.layerNorm takes this path when the active fused kernels include LayerNorm (the
// native addon) and composes the same formula from primitives otherwise.

import { fused, type FloatArray } from "../backend/fused-registry.js";
import { isGradEnabled } from "../core/grad-mode.js";
import { sizeOf } from "../core/shape.js";
import type { Node } from "../core/node.js";
import type { Tensor } from "../core/tensor.js";
import { add, div, mul, rsqrt, square, sub } from "./elementwise.js";
import type { OpAttrs } from "./op.js";
import { record } from "./record.js";
import { sum } from "./reduce.js";
import { empty, emptyForKernel } from "./util.js";

type Attrs = OpAttrs["layerNorm"];

/** Whether layerNormFused can run x (float32/float64) with these affine parameters. */
export function canFuseLayerNorm(x: Tensor, weight: Tensor | null, bias: Tensor | null): boolean {
  if (!fused.layerNormForward || !fused.layerNormBackward) return false;
  if ((x.dtype !== "float32" && x.dtype !== "float64") || x.size === 0) return false;
  return (weight === null || weight.dtype === x.dtype) && (bias === null || bias.dtype === x.dtype);
}

/**
 * y = (x − μ)·rstd·γ + β over the trailing `k` dims of x (μ, σ² the mean and biased variance
 * there, rstd = 1/√(σ² + ε)), recorded as the primitive `layerNorm`. The caller has validated
 * shapes and checked canFuseLayerNorm.
 */
export function layerNormFused(x: Tensor, k: number, weight: Tensor | null, bias: Tensor | null, eps: number): Tensor {
  const dims = x.shape.map((_, i) => i).slice(x.ndim - k);
  const rows = sizeOf(x.shape.slice(0, x.ndim - k)); // x is not empty (canFuseLayerNorm)
  const out = emptyForKernel(x.shape.slice(), x.dtype);
  const mean = empty([rows], x.dtype);
  const rstd = empty([rows], x.dtype);
  fused.layerNormForward!(
    x._data as FloatArray, (weight?._data ?? null) as FloatArray | null, (bias?._data ?? null) as FloatArray | null,
    eps, out._data as FloatArray, mean._data as FloatArray, rstd._data as FloatArray,
  );
  const inputs = [x];
  if (weight) inputs.push(weight);
  if (bias) inputs.push(bias);
  const saved = weight ? [x, mean, rstd, weight] : [x, mean, rstd];
  return record("layerNorm", inputs, out, saved, { eps, dims, weight: weight !== null, bias: bias !== null });
}

/**
 * Backward of `layerNorm`, inputs ordered [x, weight?, bias?]. With x̂ = (x − μ)·rstd, g = dy·γ:
 *   dx = rstd·(g − mean(g) − x̂·mean(g·x̂)),  dγ = Σ_rows dy·x̂,  dβ = Σ_rows dy.
 * Without createGraph the fused kernel computes all three in one pass from the saved μ and rstd;
 * with it (gradients of gradients) the same formula runs as differentiable ops, recomputing μ
 * and rstd from x so that their dependence on x is part of the recorded graph.
 */
export function layerNormBackward(g: Tensor, saved: Tensor[], a: Attrs, _node: Node, needs: boolean[]): (Tensor | null)[] {
  const [x, mean, rstd, weight = null] = saved as [Tensor, Tensor, Tensor, Tensor?];
  const wi = a.weight ? 1 : -1, bi = a.bias ? (a.weight ? 2 : 1) : -1;
  const kernel = fused.layerNormBackward;
  if (isGradEnabled() || !kernel || g.dtype !== x.dtype) {
    return differentiableBackward(g, x!, weight, a, needs, wi, bi);
  }
  const paramShape = x!.shape.slice(x!.ndim - a.dims.length);
  const dx = emptyForKernel(x!.shape.slice(), x!.dtype);
  const dw = wi >= 0 && needs[wi] ? empty(paramShape, x!.dtype) : null;
  const db = bi >= 0 && needs[bi] ? empty(paramShape, x!.dtype) : null;
  kernel(
    g._data as FloatArray, x!._data as FloatArray, mean!._data as FloatArray, rstd!._data as FloatArray,
    (weight?._data ?? null) as FloatArray | null, dx._data as FloatArray,
    (dw?._data ?? null) as FloatArray | null, (db?._data ?? null) as FloatArray | null,
  );
  const grads: (Tensor | null)[] = [needs[0] ? dx : null];
  if (wi >= 0) grads.push(dw);
  if (bi >= 0) grads.push(db);
  return grads;
}

function differentiableBackward(
  g: Tensor, x: Tensor, weight: Tensor | null, a: Attrs, needs: boolean[], wi: number, bi: number,
): (Tensor | null)[] {
  const { dims, eps } = a;
  const n = sizeOf(x.shape.slice(x.ndim - dims.length));
  const lead = x.shape.map((_, i) => i).slice(0, x.ndim - dims.length);
  const rowMean = (t: Tensor) => div(sum(t, dims, true), n);
  const xc = sub(x, rowMean(x));
  const rs = rsqrt(add(rowMean(square(xc)), eps));
  const xh = mul(xc, rs);
  const gw = weight ? mul(g, weight) : g;
  const grads: (Tensor | null)[] = [
    needs[0] ? mul(rs, sub(sub(gw, rowMean(gw)), mul(xh, rowMean(mul(gw, xh))))) : null,
  ];
  if (wi >= 0) grads.push(needs[wi] ? sum(mul(g, xh), lead) : null);
  if (bi >= 0) grads.push(needs[bi] ? sum(g, lead) : null);
  return grads;
}
