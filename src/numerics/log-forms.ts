// Logarithm forms that stay finite (or exactly −∞) where the naive expression gives NaN:
// log(1 − eˣ), x·log y with the 0·log 0 = 0 convention, and a floored log for probabilities.

import { Tensor } from "../core/tensor.js";
import { DTypeError, ValueError } from "../core/errors.js";
import { clamp, eq, exp, expm1, gt, isNaN, log, log1p, logicalAnd, logicalNot, mul, neg, sub, where } from "../ops/elementwise.js";
import { asFloat } from "./softplus.js";

const LN2 = Math.LN2;

/**
 * log(1 − eˣ) for x ≤ 0, by Mächler's switch: log(−expm1(x)) for x > −ln 2 (where 1 − eˣ is a
 * small difference that expm1 keeps exact) and log1p(−eˣ) below (where eˣ is small). Gives −∞ at
 * x = 0, 0 at x = −∞, and NaN for x > 0 (1 − eˣ < 0) or x = NaN.
 *
 * Gradient −eˣ/(1 − eˣ) = −1/expm1(−x); the branch not taken gets a safe stand-in argument so
 * `where`'s masked gradient never meets an inf·0.
 * @example
 * st.numerics.log1mexp(st.tensor([-1e-10, -1, -1e4])) // [-23.03, -0.4587, 0]
 */
export function log1mexp(x: Tensor): Tensor {
  const xf = asFloat("log1mexp", x);
  const near = gt(xf, -LN2);
  const a = where(near, xf, -LN2);
  const b = where(near, -1, xf);
  // 0 − expm1(a) (not neg) so that at x = 0 the argument is +0 and the gradient is −∞, not +∞
  return where(near, log(sub(0, expm1(a))), log1p(neg(exp(b))));
}

/**
 * xlogy(x, y) = x·log y, defined as 0 where x = 0 (even for y = 0 or ∞), as in scipy and PyTorch;
 * NaN in y propagates (xlogy(0, NaN) = NaN). Used for entropies and KL divergences where 0·log 0
 * must be 0. Gradients (PyTorch's): ∂/∂x = log y (0 where x = 0), ∂/∂y = x/y (0 where x = 0).
 * Operands broadcast; either may be a number.
 * @example
 * st.numerics.xlogy(st.tensor([0, 2]), st.tensor([0, Math.E])) // [0, 2]
 */
export function xlogy(x: Tensor | number, y: Tensor | number): Tensor {
  if (!(x instanceof Tensor) && !(y instanceof Tensor)) {
    throw new DTypeError(`xlogy: expected at least one Tensor operand (got ${typeof x} and ${typeof y})`);
  }
  const yT = y instanceof Tensor ? y : null;
  const xZero = eq(x, 0);
  const skip = yT ? logicalAnd(xZero, logicalNot(isNaN(yT))) : Number.isNaN(y) ? eq(x, NaN) : xZero;
  const safeY = where(skip, 1, y);
  return where(skip, 0, mul(x, log(safeY)));
}

/**
 * log x floored at `minLog` (default −100, the clamp PyTorch's binary cross-entropy applies):
 * log 0 gives `minLog` with gradient 0 instead of −∞ and a NaN gradient (0·∞), so a saturated
 * probability cannot poison training. Negative x (not a probability) still gives NaN.
 * @example
 * st.numerics.safeLog(st.tensor([0, 1e-50, 1])) // [-100, -100, 0] (1e-50 underflows float32 to 0)
 */
export function safeLog(x: Tensor, minLog = -100): Tensor {
  const xf = asFloat("safeLog", x);
  if (Number.isNaN(minLog)) throw new ValueError("safeLog: minLog must be a number (got NaN)");
  const zero = eq(xf, 0);
  const lg = clamp(log(where(zero, 1, xf)), minLog);
  return where(zero, minLog, lg);
}
