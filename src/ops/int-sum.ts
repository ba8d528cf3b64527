// Sums of int32 and bool tensors without wrap-around: [2³¹−1, 2³¹−1].sum() was −2. The sum is
// taken in float64 (exact for integers below 2⁵³, so for any int32 input of fewer than 2²² elements,
// and beyond that whenever no partial sum passes 2⁵³) and refused when it does not fit int32.

import { DTypeError, fmtShape } from "../core/errors.js";
import type { Tensor } from "../core/tensor.js";
import { cast } from "./elementwise.js";
import { type Dims, max, min, sum } from "./reduce.js";

const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;

/** Σ of an int32 or bool tensor over `dims`, as int32, or a DTypeError when it does not fit. */
export function intSum(x: Tensor, dims: Dims, keepdim: boolean): Tensor {
  const wide = sum(cast(x, "float64"), dims, keepdim);
  if (wide.size > 0) {
    const hi = max(wide).item();
    const lo = min(wide).item();
    const bad = hi > INT32_MAX ? hi : lo < INT32_MIN ? lo : null;
    if (bad !== null) {
      throw new DTypeError(
        `sum: the sum of this ${x.dtype} tensor (shape ${fmtShape(x.shape)}) is ${bad}, which does not fit int32 ` +
          `(${INT32_MIN} .. ${INT32_MAX}); cast first to sum in floating point, e.g. x.double().sum()`,
      );
    }
  }
  return cast(wide, "int32");
}
