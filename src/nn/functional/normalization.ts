// Batch and layer normalization, computed two-pass (mean first, then the mean of squared
// deviations), so large offsets (1e4 ± 1 in float32) keep their precision and zero variance
// gives 0, never NaN.

import { isFloat } from "../../core/dtype.js";
import { DTypeError, ShapeError, ValueError, fmtShape } from "../../core/errors.js";
import { noGrad } from "../../core/grad-mode.js";
import { shapesEqual } from "../../core/shape.js";
import { Tensor } from "../../core/tensor.js";
import { copy_ } from "../../autograd/inplace.js";
import { add, cast, mul, rsqrt, square, sub } from "../../ops/elementwise.js";
import { canFuseLayerNorm, layerNormFused } from "../../ops/layer-norm.js";
import { mean } from "../../ops/reduce.js";
import { reshape } from "../../ops/shape.js";

/** Options of `batchNorm`. */
export interface BatchNormOptions {
  /** Per-channel scale γ [C] (none: 1). */
  weight?: Tensor | null;
  /** Per-channel shift β [C] (none: 0). */
  bias?: Tensor | null;
  /** Normalize with the batch's statistics (and update the running ones); default false. */
  training?: boolean;
  /** Weight of the new batch in the running averages (default 0.1). */
  momentum?: number;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

function asFloat(op: string, x: Tensor): Tensor {
  if (!(x instanceof Tensor)) throw new DTypeError(`${op}: expected a Tensor (got ${x === null ? "null" : typeof x})`);
  return isFloat(x.dtype) ? x : cast(x, "float32");
}

function checkVector(op: string, what: string, t: Tensor | null | undefined, c: number): void {
  if (t == null) return;
  if (!(t instanceof Tensor) || t.ndim !== 1 || t.shape[0] !== c) {
    throw new ShapeError(`${op}: ${what} must have shape [${c}] (one per channel; got ${t instanceof Tensor ? fmtShape(t.shape) : typeof t})`);
  }
}

/**
 * Batch normalization over x [N, C, *] per channel c (dim 1):
 *
 *   y = (x − μ_c)/√(σ²_c + ε)·γ_c + β_c
 *
 * training: μ, σ² are the batch's mean and biased variance over N and the trailing dims, and the
 * running statistics (when given) are updated in place: r ← (1 − m)·r + m·stat, with the
 * unbiased variance (n/(n − 1)·σ²) for the running variance. Otherwise the running statistics
 * are used. The gradient flows to x, γ and β.
 *
 * @example
 * const x = st.tensor([[1, 10], [3, 30]], { dtype: "float32" });
 * st.nn.functional.batchNorm(x, null, null, { training: true }); // per-column standardization: ≈ [[-1, -1], [1, 1]]
 */
export function batchNorm(x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, opts: BatchNormOptions = {}): Tensor {
  const xf = asFloat("batchNorm", x);
  const training = opts.training ?? false;
  const momentum = opts.momentum ?? 0.1;
  const eps = opts.eps ?? 1e-5;
  if (xf.ndim < 2) throw new ShapeError(`batchNorm: expected an input of shape [N, C, *] (got ${fmtShape(xf.shape)})`);
  const c = xf.shape[1]!;
  checkVector("batchNorm", "runningMean", runningMean, c);
  checkVector("batchNorm", "runningVar", runningVar, c);
  checkVector("batchNorm", "weight", opts.weight, c);
  checkVector("batchNorm", "bias", opts.bias, c);
  if ((runningMean === null) !== (runningVar === null)) throw new ValueError("batchNorm: give both runningMean and runningVar, or neither");
  if (!(eps >= 0)) throw new ValueError(`batchNorm: eps must be >= 0 (got ${eps})`);
  const statShape = xf.shape.map((d, i) => (i === 1 ? d : 1));
  const dims = xf.shape.map((_, i) => i).filter((i) => i !== 1);
  const perChannel = (t: Tensor) => reshape(t, statShape);
  let mu: Tensor;
  let v: Tensor;
  if (training) {
    const n = xf.size / Math.max(c, 1);
    if (n <= 1) {
      throw new ValueError(`batchNorm: expected more than 1 value per channel when training (got input shape ${fmtShape(xf.shape)})`);
    }
    mu = mean(xf, dims, true);
    const xc = sub(xf, mu);
    v = mean(square(xc), dims, true);
    if (runningMean !== null && runningVar !== null) {
      noGrad(() => {
        const m = momentum;
        copy_(runningMean, add(mul(reshape(mu, [c]), m), mul(runningMean, 1 - m)));
        copy_(runningVar, add(mul(reshape(v, [c]), (m * n) / (n - 1)), mul(runningVar, 1 - m)));
      });
    }
    return affine(xc, v, eps, opts, perChannel);
  }
  if (runningMean === null || runningVar === null) {
    throw new ValueError("batchNorm: running statistics are required when training is false");
  }
  return affine(sub(xf, perChannel(runningMean)), perChannel(runningVar), eps, opts, perChannel);
}

/** (x − μ)·(γ/√(σ² + ε)) + β, with the per-channel factor formed on the small tensor first. */
function affine(xc: Tensor, v: Tensor, eps: number, opts: BatchNormOptions, perChannel: (t: Tensor) => Tensor): Tensor {
  let scale = rsqrt(add(v, eps));
  if (opts.weight != null) scale = mul(scale, perChannel(opts.weight));
  const y = mul(xc, scale);
  return opts.bias != null ? add(y, perChannel(opts.bias)) : y;
}

/**
 * Layer normalization over the trailing dims given by `normalizedShape`:
 *
 *   y = (x − μ)/√(σ² + ε)·γ + β,  μ, σ² the mean and biased variance of each sample's trailing dims.
 *
 * @example
 * const x = st.tensor([[1, 2, 3], [10, 20, 30]], { dtype: "float32" });
 * st.nn.functional.layerNorm(x, [x.shape.at(-1)!]); // each row to mean 0, variance ≈ 1
 */
export function layerNorm(x: Tensor, normalizedShape: number | readonly number[], weight?: Tensor | null, bias?: Tensor | null, eps = 1e-5): Tensor {
  const xf = asFloat("layerNorm", x);
  const ns = typeof normalizedShape === "number" ? [normalizedShape] : [...normalizedShape];
  const k = ns.length;
  if (k === 0 || xf.ndim < k || !shapesEqual(xf.shape.slice(xf.ndim - k), ns)) {
    throw new ShapeError(`layerNorm: the input's trailing dims must be normalizedShape ${fmtShape(ns)} (got input shape ${fmtShape(xf.shape)})`);
  }
  for (const [what, t] of [["weight", weight], ["bias", bias]] as const) {
    if (t != null && (!(t instanceof Tensor) || !shapesEqual(t.shape, ns))) {
      throw new ShapeError(`layerNorm: ${what} must have shape ${fmtShape(ns)} (got ${t instanceof Tensor ? fmtShape(t.shape) : typeof t})`);
    }
  }
  if (!(eps >= 0)) throw new ValueError(`layerNorm: eps must be >= 0 (got ${eps})`);
  if (canFuseLayerNorm(xf, weight ?? null, bias ?? null)) return layerNormFused(xf, k, weight ?? null, bias ?? null, eps);
  const dims = ns.map((_, i) => xf.ndim - k + i);
  const xc = sub(xf, mean(xf, dims, true));
  let y = mul(xc, rsqrt(add(mean(square(xc), dims, true), eps)));
  if (weight != null) y = mul(y, weight);
  if (bias != null) y = add(y, bias);
  return y;
}
