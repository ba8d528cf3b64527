// Softplus and log-sigmoid in the forms that never overflow and keep the exact gradient σ(x)
// everywhere, including x = 0 (where max(x,0) and |x| each have a kinked, zero subgradient).

import { DTypeError, ValueError } from "../core/errors.js";
import { isFloat } from "../core/dtype.js";
import { Tensor } from "../core/tensor.js";
import { add, cast, div, exp, gt, log1p, mul, neg, where } from "../ops/elementwise.js";

/** Float view of `x` (integers become float32), with a typed error for non-tensors. */
export function asFloat(op: string, x: Tensor): Tensor {
  if (!(x instanceof Tensor)) throw new DTypeError(`${op}: expected a Tensor (got ${x === null ? "null" : typeof x})`);
  return isFloat(x.dtype) ? x : cast(x, "float32");
}

/**
 * log(1 + eˣ) as max(x, 0) + log1p(e^(−|x|)): exp only ever sees a non-positive argument, so nothing
 * overflows, and log1p keeps the tiny tail (softplus(−30) ≈ 9.4e−14, not 0). Both pieces are
 * selected with `where` rather than relu/abs so the gradient is σ(x) exactly, 1/2 at x = 0.
 */
function stableSoftplus(x: Tensor): Tensor {
  const pos = gt(x, 0);
  const relu = where(pos, x, 0); // max(x, 0), gradient 1 for x > 0 and 0 otherwise
  const negAbs = where(pos, neg(x), x); // −|x|, gradient −1 / +1 with no dead point at 0
  return add(relu, log1p(exp(negAbs)));
}

/**
 * softplus(x) = (1/β)·log(1 + e^(βx)), and x itself where βx > threshold (PyTorch's rule; the two
 * agree there to float precision). Finite for every finite x: softplus(1e4) = 1e4,
 * softplus(−1e4) = 0, with gradient σ(βx) (1 and 0 there). NaN propagates.
 *
 * @param beta     sharpness β > 0 (default 1)
 * @param threshold linear above βx > threshold (default 20, like torch.nn.functional.softplus;
 *                  pass Infinity for the smooth form everywhere)
 * @example
 * st.numerics.softplus(st.tensor([-1e4, 0, 1e4])) // [0, 0.6931, 10000]
 */
export function softplus(x: Tensor, beta = 1, threshold = 20): Tensor {
  const xf = asFloat("softplus", x);
  if (!(beta > 0) || !Number.isFinite(beta)) throw new ValueError(`softplus: beta must be a finite number > 0 (got ${beta})`);
  if (Number.isNaN(threshold)) throw new ValueError("softplus: threshold must be a number (got NaN)");
  const bx = beta === 1 ? xf : mul(xf, beta);
  const smooth = beta === 1 ? stableSoftplus(bx) : div(stableSoftplus(bx), beta);
  if (threshold === Infinity) return smooth;
  return where(gt(bx, threshold), xf, smooth);
}

/**
 * log σ(x) = −softplus(−x): exact for large negative x (log σ(−1e4) = −1e4, where log(sigmoid(x))
 * would give −∞) and 0 (not a rounding error) for large positive x; gradient σ(−x) = 1 − σ(x).
 * @example
 * st.numerics.logSigmoid(st.tensor([-1e4, 0, 1e4])) // [-10000, -0.6931, 0]
 */
export function logSigmoid(x: Tensor): Tensor {
  return neg(stableSoftplus(neg(asFloat("logSigmoid", x))));
}
