// Inverted dropout: zero each element with probability p and scale the survivors by 1/(1 − p), so
// the expected output equals the input and evaluation needs no rescaling.

import { isFloat } from "../../core/dtype.js";
import { DTypeError, ValueError } from "../../core/errors.js";
import type { Generator } from "../../core/random.js";
import { bernoulli } from "../../core/random-creation.js";
import { Tensor } from "../../core/tensor.js";
import { cast, mul } from "../../ops/elementwise.js";

/**
 * Dropout: with `training`, y = x·m/(1 − p), m ~ Bernoulli(1 − p) per element (from `generator`,
 * default the global one); otherwise y = x. p = 1 gives zeros (and zero gradient).
 *
 * @example
 * const x = st.ones([2, 5]);
 * st.nn.functional.dropout(x, 0.1, true, new st.Generator(42)); // kept values scaled by 1/(1 − 0.1)
 */
export function dropout(x: Tensor, p = 0.5, training = true, generator?: Generator): Tensor {
  if (!(x instanceof Tensor)) throw new DTypeError(`dropout: expected a Tensor (got ${x === null ? "null" : typeof x})`);
  if (!(p >= 0 && p <= 1)) throw new ValueError(`dropout: p must lie in [0, 1] (got ${p})`);
  if (!training || p === 0) return x;
  const xf = isFloat(x.dtype) ? x : cast(x, "float32");
  if (p === 1) return mul(xf, 0);
  // a 0/1 mask (the same draws as one Bernoulli per element), then the scale as a scalar in x's
  // dtype: x·m exact, so (x·m)·s rounds exactly like x·(m·s) and float64 inputs keep a float64 scale
  const mask = bernoulli(1 - p, xf.shape, { generator });
  return mul(mul(xf, mask), 1 / (1 - p));
}
