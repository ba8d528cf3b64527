// LayerNorm as one primitive over the fused layerNorm / layerNormBackward kernels (one pass
// forward, one pass backward, instead of the ~10 elementwise ops and reductions of the composite
// form). Every backend has them (js implements every kernel-table entry), so the recorded graph
// is the same on js and native; nn.functional.layerNorm composes the formula from primitives only
// for the cases the kernels do not take (mixed dtypes, empty input).

import { isGradEnabled } from "../core/grad-mode.js";
import { sizeOf } from "../core/shape.js";
import type { Tensor } from "../core/tensor.js";
import { dispatchMany } from "./dispatch.js";
import { add, div, mul, rsqrt, square, sub } from "./elementwise.js";
import type { OpAttrs, OpNode } from "./op.js";
import { sum } from "./reduce.js";

type Attrs = OpAttrs["layerNorm"];

/** Whether layerNormFused can run x (float32/float64) with these affine parameters. */
export function canFuseLayerNorm(x: Tensor, weight: Tensor | null, bias: Tensor | null): boolean {
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
  const inputs = [x];
  if (weight) inputs.push(weight);
  if (bias) inputs.push(bias);
  const [out] = dispatchMany("layerNorm", inputs, [
    { shape: x.shape.slice(), dtype: x.dtype }, { shape: [rows], dtype: x.dtype }, { shape: [rows], dtype: x.dtype },
  ], { eps, dims, weight: weight !== null, bias: bias !== null });
  return out!;
}

/**
 * Backward of `layerNorm`, inputs ordered [x, weight?, bias?]. With x̂ = (x − μ)·rstd, g = dy·γ:
 *   dx = rstd·(g − mean(g) − x̂·mean(g·x̂)),  dγ = Σ_rows dy·x̂,  dβ = Σ_rows dy.
 * Without createGraph the fused kernel computes all three in one pass from the saved μ and rstd;
 * with it (gradients of gradients) the same formula runs as differentiable ops, recomputing μ
 * and rstd from x so that their dependence on x is part of the recorded graph.
 */
export function layerNormBackward(g: Tensor, saved: Tensor[], a: Attrs, _node: OpNode<"layerNorm">, needs: boolean[]): (Tensor | null)[] {
  // saved per the save contract in gradients.ts: [x, weight?, mean, rstd]
  const x = saved[0]!;
  const weight = a.weight ? saved[1]! : null;
  const mean = saved[saved.length - 2]!, rstd = saved[saved.length - 1]!;
  const wi = a.weight ? 1 : -1, bi = a.bias ? (a.weight ? 2 : 1) : -1;
  if (isGradEnabled() || g.dtype !== x.dtype) {
    return differentiableBackward(g, x, weight, a, needs, wi, bi);
  }
  const paramShape = x.shape.slice(x.ndim - a.dims.length);
  const dweight = wi >= 0 && needs[wi]!, dbias = bi >= 0 && needs[bi]!;
  const outs = [{ shape: x.shape.slice(), dtype: x.dtype }];
  if (dweight) outs.push({ shape: paramShape, dtype: x.dtype });
  if (dbias) outs.push({ shape: paramShape.slice(), dtype: x.dtype });
  const inputs = weight ? [g, x, mean, rstd, weight] : [g, x, mean, rstd];
  const r = dispatchMany("layerNormBackward", inputs, outs, { weight: weight !== null, dweight, dbias });
  const grads: (Tensor | null)[] = [needs[0] ? r[0]! : null];
  if (wi >= 0) grads.push(dweight ? r[1]! : null);
  if (bi >= 0) grads.push(dbias ? r[dweight ? 2 : 1]! : null);
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
