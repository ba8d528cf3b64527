// Writing new values into a parameter or state tensor in place, for the optimizers whose update
// is composed of tensor ops (RAdam, Rprop, LBFGS): one copyInto kernel through dispatch.

import { ShapeError, fmtShape } from "../core/errors.js";
import type { Tensor } from "../core/tensor.js";
import { bumpVersion } from "../core/tensor-internals.js";
import { dispatchMany } from "../ops/dispatch.js";
import { cast } from "../ops/elementwise.js";

/** dst ← values (same size; cast to dst's dtype), in place, with dst's version bumped. Call in no-grad mode. */
export function assign(owner: string, dst: Tensor, values: Tensor): void {
  if (values.size !== dst.size) throw new ShapeError(`${owner}: cannot write ${fmtShape(values.shape)} values into a tensor of shape ${fmtShape(dst.shape)}`);
  // storages are exact-size and contiguous, so a plain copy of the flat data is the assignment
  const src = values.dtype === dst.dtype ? values : cast(values, dst.dtype);
  dispatchMany("copyInto", [dst, src], [], null);
  bumpVersion(dst);
}
