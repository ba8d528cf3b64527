// Inverted dropout: zero each element with probability p and scale the survivors by 1/(1 − p), so
// the expected output equals the input and evaluation needs no rescaling.

import { type DType, allocate, isFloat } from "../../core/dtype.js";
import { DTypeError, ValueError } from "../../core/errors.js";
import { type Generator, defaultGenerator } from "../../core/random.js";
import { Tensor } from "../../core/tensor.js";
import { cast, mul } from "../../ops/elementwise.js";

/**
 * Dropout: with `training`, y = x·m/(1 − p), m ~ Bernoulli(1 − p) per element (from `generator`,
 * default the global one); otherwise y = x. p = 1 gives zeros (and zero gradient).
 *
 * @example
 * st.nn.functional.dropout(x, 0.1, true, new st.Generator(42))
 */
export function dropout(x: Tensor, p = 0.5, training = true, generator?: Generator): Tensor {
  if (!(x instanceof Tensor)) throw new DTypeError(`dropout: expected a Tensor (got ${x === null ? "null" : typeof x})`);
  if (!(p >= 0 && p <= 1)) throw new ValueError(`dropout: p must lie in [0, 1] (got ${p})`);
  if (!training || p === 0) return x;
  const xf = isFloat(x.dtype) ? x : cast(x, "float32");
  if (p === 1) return mul(xf, 0);
  const dtype: DType = xf.dtype;
  const mask = allocate(dtype, xf.size) as Float32Array | Float64Array;
  (generator ?? defaultGenerator).bernoulli(mask, 1 - p);
  const scale = 1 / (1 - p);
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) mask[i] = scale;
  return mul(xf, Tensor._fromData(mask, xf.shape.slice(), dtype));
}
