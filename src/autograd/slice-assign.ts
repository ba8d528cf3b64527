// sliceAssign_: writing into part of a tensor (PyTorch's `x[0:2, 1] = v`), the idiom for what
// an in-place op on a slice would do in PyTorch — here slices are copies, and in-place ops on
// them are refused (inplace.ts checkWritable). Recorded like every in-place op: the version
// bumps, and the gradient flows to `value` (summed over its broadcast) and to the untouched part
// of the tensor.

import { isFloat } from "../core/dtype.js";
import { DTypeError, ShapeError, ValueError, fmtShape } from "../core/errors.js";
import { broadcastShapes, shapesEqual } from "../core/shape.js";
import { Tensor } from "../core/tensor.js";
import { cast } from "../ops/elementwise.js";
import { expand, reshape, sliceScatter } from "../ops/shape.js";
import { type SliceSpec, resolveIndex } from "../ops/slice-args.js";
import { type TensorLike, toTensor } from "../ops/util.js";
import { applyInPlace } from "./inplace.js";

/**
 * Writes `value` into the block of `t` that `specs` select, in place, and returns `t`.
 * `specs` holds one spec per leading dim, as `index` reads them: a number picks one index,
 * null the whole dim, `[start?, stop?, step?]` a range (negative values count from the end).
 * `value` (a tensor or a number) broadcasts to the block's shape and is cast to `t`'s dtype
 * within its category (float64 → float32 is fine; a float into an int32 tensor is refused).
 * Under autograd the gradient of the result flows to `value` and, outside the block, to the
 * old values of `t`; like every in-place op it bumps the version counter.
 * @example
 * const w = st.ones([3, 4]);
 * w.sliceAssign_([null, [0, 2]], 0); // PyTorch's w[:, :2] = 0
 * w.sliceAssign_([1], st.tensor([7, 8, 9, 10])); // w[1] = [7, 8, 9, 10]
 */
export function sliceAssign_(t: Tensor, specs: readonly SliceSpec[], value: TensorLike): Tensor {
  const op = "sliceAssign_";
  if (!Array.isArray(specs)) {
    throw new ValueError(`${op}: specs must be an array with one spec per leading dim, e.g. [null, [0, 2]] (got ${specs === null ? "null" : typeof specs})`);
  }
  const { starts, steps, keptShape, drop } = resolveIndex(op, t.shape, specs);
  const blockShape = keptShape.filter((_, i) => !drop.includes(i));
  const v0 = value instanceof Tensor ? value : toTensor(op, t.dtype === "bool" && typeof value === "number" ? value !== 0 : value, t.dtype);
  if (v0.dtype !== t.dtype && ((isFloat(v0.dtype) && !isFloat(t.dtype)) || (t.dtype === "bool"))) {
    throw new DTypeError(`${op}: a ${v0.dtype} value cannot be written into a ${t.dtype} tensor (cast the value first, e.g. value.to("${t.dtype}"))`);
  }
  let fits = true;
  try {
    fits = shapesEqual(broadcastShapes(op, v0.shape, blockShape), blockShape);
  } catch {
    fits = false;
  }
  if (!fits) {
    throw new ShapeError(`${op}: the value has shape ${fmtShape(v0.shape)}, which does not broadcast to the selected block's shape ${fmtShape(blockShape)}`);
  }
  return applyInPlace(op, t, [v0], (x) => {
    let v = v0.dtype === x.dtype ? v0 : cast(v0, x.dtype);
    if (!shapesEqual(v.shape, blockShape)) v = expand(v, blockShape);
    return sliceScatter(x, reshape(v, keptShape), starts, steps);
  });
}
