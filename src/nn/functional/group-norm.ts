// Group, instance and RMS normalization (st.nn.functional.groupNorm, instanceNorm, rmsNorm) as
// composites of primitives, two-pass (mean first, then the mean of squared deviations) like
// batchNorm, so constant inputs give 0 and never NaN.

import { DTypeError, ShapeError, ValueError, fmtShape } from "../../core/errors.js";
import { noGrad } from "../../core/grad-mode.js";
import { Tensor } from "../../core/tensor.js";
import { copy_ } from "../../autograd/inplace.js";
import { add, mul, rsqrt, square, sub } from "../../ops/elementwise.js";
import { mean } from "../../ops/reduce.js";
import { reshape } from "../../ops/shape.js";
import { isFloat } from "../../core/dtype.js";

function checkX(op: string, x: unknown, minRank: number): Tensor {
  if (!(x instanceof Tensor)) throw new DTypeError(`${op}: expected a Tensor input (got ${x === null ? "null" : typeof x})`);
  if (!isFloat(x.dtype)) throw new DTypeError(`${op}: expected a float32 or float64 input (got ${x.dtype})`);
  if (x.ndim < minRank) throw new ShapeError(`${op}: expected an input of shape [N, C, *] (got ${fmtShape(x.shape)})`);
  return x;
}

function checkPerChannel(op: string, what: string, t: Tensor | null | undefined, c: number): void {
  if (t == null) return;
  if (!(t instanceof Tensor) || t.ndim !== 1 || t.shape[0] !== c) {
    throw new ShapeError(`${op}: ${what} must have shape [${c}] (one per channel; got ${t instanceof Tensor ? fmtShape(t.shape) : typeof t})`);
  }
}

/** y·γ + β with γ, β [C] broadcast along dim 1 of y [N, C, *]. */
function affine(y: Tensor, weight: Tensor | null | undefined, bias: Tensor | null | undefined): Tensor {
  const shape = y.shape.map((d, i) => (i === 1 ? d : 1));
  let out = y;
  if (weight != null) out = mul(out, reshape(weight, shape));
  if (bias != null) out = add(out, reshape(bias, shape));
  return out;
}

/**
 * Group normalization of x [N, C, *]: the C channels form `numGroups` groups of C/numGroups, and
 * each (sample, group) is standardized over its channels and positions,
 *
 *   y = (x − μ_{n,g})/√(σ²_{n,g} + ε)·γ_c + β_c   (σ² the biased variance),
 *
 * then scaled per channel by the optional γ, β [C]. eps defaults to 1e-5.
 *
 * @example
 * st.nn.functional.groupNorm(st.randn([2, 6, 4, 4]), 3).shape // [2, 6, 4, 4]
 */
export function groupNorm(x: Tensor, numGroups: number, weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  const op = "groupNorm";
  checkX(op, x, 2);
  const c = x.shape[1]!;
  if (!Number.isInteger(numGroups) || numGroups < 1 || c % numGroups !== 0) {
    throw new ValueError(`${op}: numGroups must be a positive integer dividing the ${c} channels (got ${numGroups})`);
  }
  checkPerChannel(op, "weight", weight, c);
  checkPerChannel(op, "bias", bias, c);
  if (!(eps >= 0)) throw new ValueError(`${op}: eps must be >= 0 (got ${eps})`);
  const g = reshape(x, [x.shape[0]!, numGroups, -1]);
  const mu = mean(g, 2, true);
  const xc = sub(g, mu);
  const v = mean(square(xc), 2, true);
  const y = reshape(mul(xc, rsqrt(add(v, eps))), x.shape);
  return affine(y, weight, bias);
}

/** Options of {@link instanceNorm} (PyTorch's F.instance_norm arguments, camelCase). */
export interface InstanceNormOptions {
  /** Running means [C], updated in place when useInputStats is true (default null: none kept). */
  runningMean?: Tensor | null;
  /** Running unbiased variances [C], updated in place when useInputStats is true (default null: none kept). */
  runningVar?: Tensor | null;
  /** Per-channel scale γ [C] (default null: no scaling). */
  weight?: Tensor | null;
  /** Per-channel shift β [C] (default null: no shift). */
  bias?: Tensor | null;
  /** Normalize with each instance's own statistics (default true); false uses the running ones. */
  useInputStats?: boolean;
  /** Weight of the new batch in the running averages (default 0.1). */
  momentum?: number;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

/**
 * Instance normalization of x [N, C, *]: each (sample, channel) plane is standardized over its
 * positions, y = (x − μ_{n,c})/√(σ²_{n,c} + ε)·γ_c + β_c. With useInputStats (default) and running
 * statistics given, they are updated in place with the batch average of the per-instance mean and
 * unbiased variance (PyTorch's rule); with useInputStats false the running statistics normalize.
 *
 * @example
 * st.nn.functional.instanceNorm(st.randn([2, 3, 5, 5])).shape // [2, 3, 5, 5]
 */
export function instanceNorm(x: Tensor, opts: InstanceNormOptions = {}): Tensor {
  const op = "instanceNorm";
  checkX(op, x, 3);
  const c = x.shape[1]!;
  const { runningMean = null, runningVar = null, weight, bias } = opts;
  for (const [n, t] of [["runningMean", runningMean], ["runningVar", runningVar], ["weight", weight], ["bias", bias]] as const) checkPerChannel(op, n, t, c);
  const eps = opts.eps ?? 1e-5, momentum = opts.momentum ?? 0.1;
  const dims = x.shape.map((_, i) => i).slice(2);
  const statShape = x.shape.map((d, i) => (i === 1 ? d : 1));
  if (opts.useInputStats ?? true) {
    const count = x.size / Math.max(x.shape[0]! * c, 1);
    if (count <= 1) throw new ValueError(`${op}: expected more than 1 spatial element per channel (got input shape ${fmtShape(x.shape)})`);
    const mu = mean(x, dims, true);
    const xc = sub(x, mu);
    const v = mean(square(xc), dims, true);
    if (runningMean !== null && runningVar !== null) {
      noGrad(() => {
        const bm = reshape(mean(mu, 0), [c]);
        const bv = reshape(mean(mul(v, count / (count - 1)), 0), [c]);
        copy_(runningMean, add(mul(runningMean, 1 - momentum), mul(bm, momentum)));
        copy_(runningVar, add(mul(runningVar, 1 - momentum), mul(bv, momentum)));
      });
    }
    return affine(mul(xc, rsqrt(add(v, eps))), weight, bias);
  }
  if (runningMean === null || runningVar === null) throw new ValueError(`${op}: useInputStats false needs runningMean and runningVar`);
  const y = mul(sub(x, reshape(runningMean, statShape)), rsqrt(add(reshape(runningVar, statShape), eps)));
  return affine(y, weight, bias);
}

/** Machine epsilon of a float dtype (PyTorch's torch.finfo(dtype).eps). */
export const finfoEps = (dtype: string): number => (dtype === "float64" ? 2 ** -52 : 2 ** -23);

/**
 * Root-mean-square normalization over the trailing dims `normalizedShape`:
 *
 *   y = x / √(mean(x²) + ε) · γ
 *
 * with the optional elementwise γ of shape normalizedShape. eps defaults to the machine epsilon of
 * x's dtype (PyTorch's default).
 *
 * @example
 * st.nn.functional.rmsNorm(st.randn([2, 8]), [8]).shape // [2, 8]
 */
export function rmsNorm(x: Tensor, normalizedShape: number | readonly number[], weight: Tensor | null = null, eps: number | null = null): Tensor {
  const op = "rmsNorm";
  checkX(op, x, 1);
  const ns = typeof normalizedShape === "number" ? [normalizedShape] : normalizedShape.slice();
  const tail = x.shape.slice(x.ndim - ns.length);
  if (ns.length === 0 || ns.length > x.ndim || tail.some((d, i) => d !== ns[i])) {
    throw new ShapeError(`${op}: normalizedShape ${fmtShape(ns)} must match the trailing dims of the input (got shape ${fmtShape(x.shape)})`);
  }
  if (weight != null && (!(weight instanceof Tensor) || weight.shape.length !== ns.length || weight.shape.some((d, i) => d !== ns[i]))) {
    throw new ShapeError(`${op}: weight must have shape ${fmtShape(ns)} (got ${weight instanceof Tensor ? fmtShape(weight.shape) : typeof weight})`);
  }
  const e = eps ?? finfoEps(x.dtype);
  if (!(e >= 0)) throw new ValueError(`${op}: eps must be >= 0 (got ${e})`);
  const dims = ns.map((_, i) => x.ndim - ns.length + i);
  const y = mul(x, rsqrt(add(mean(square(x), dims, true), e)));
  return weight != null ? mul(y, weight) : y;
}
