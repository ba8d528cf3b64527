// In-place ops (add_, mul_, …). They write into the tensor's storage and bump its version
// counter; when autograd is recording they rebase the tensor onto the out-of-place op's node, so
// gradients stay right, and any earlier node that saved the old values refuses to run backward.

import { checkValueFits, promoteTypes } from "../core/dtype.js";
import { AutogradError, DTypeError, ShapeError, ValueError, fmtShape } from "../core/errors.js";
import { isGradEnabled, noGrad } from "../core/grad-mode.js";
import { Tensor } from "../core/tensor.js";
import { bumpVersion, fromTypedArray, markTrackedWrite } from "../core/tensor-internals.js";
import { shapesEqual } from "../core/shape.js";
import { add, cast, clamp, div, mul, sub } from "../ops/elementwise.js";
import { expand } from "../ops/shape.js";
import { checkNotStale } from "../ops/record.js";
import { dispatchMany } from "../ops/dispatch.js";
import type { TensorLike } from "../ops/util.js";

/**
 * Refuses an in-place write into a tensor that slice, permute (.T, transpose), expand, narrow,
 * split or chunk made: those return copies where PyTorch returns views, so the write would
 * silently leave the source unchanged (a ported `w[:, :k].zero_()` would do nothing).
 */
export function checkWritable(op: string, t: Tensor): void {
  if (t._copyOf === null) return;
  const via = t._copyOf === "permute" ? "permute (also behind .T, .mT and transpose)" : t._copyOf === "slice" ? "slice (also behind index, narrow, split and chunk)" : t._copyOf;
  throw new ValueError(
    `${op}: this tensor (shape ${fmtShape(t.shape)}) was made by ${via}, which returns a copy, not a view of its source, ` +
      "so an in-place write into it would not change the source. To write into part of a tensor use " +
      "x.sliceAssign_(specs, value), e.g. w.sliceAssign_([null, [0, k]], 0) for PyTorch's w[:, :k] = 0; " +
      "to modify the copy itself, clone() it first",
  );
}

/**
 * Runs `compute` on `t` and writes the result back into `t`'s storage.
 * `others` are the other tensor operands (to decide whether the graph must be recorded).
 */
export function applyInPlace(op: string, t: Tensor, others: readonly TensorLike[], compute: (x: Tensor) => Tensor): Tensor {
  checkWritable(op, t);
  const tracking = isGradEnabled() && (t.requiresGrad || others.some((o) => o instanceof Tensor && o.requiresGrad));
  if (tracking && t.isLeaf && t.requiresGrad) {
    throw new AutogradError(
      `${op}: a leaf tensor that requires grad (shape ${fmtShape(t.shape)}) cannot be modified in place while recording; ` +
        "wrap the update in st.noGrad(() => ...) (as optimizers do) or use the out-of-place op",
    );
  }
  if (tracking && t.requiresGrad) checkNotStale(op, t, 0);
  let r: Tensor;
  if (tracking) {
    // Compute on a snapshot so the new node saves the old values, not the overwritten ones.
    const snap = fromTypedArray(t.dataSync(), t.shape, t.dtype);
    snap.requiresGrad = t.requiresGrad;
    snap.gradFn = t.gradFn;
    r = compute(snap);
  } else r = noGrad(() => compute(t));
  if (!shapesEqual(r.shape, t.shape)) {
    throw new ShapeError(`${op}: the result has shape ${fmtShape(r.shape)}, which does not fit the tensor's shape ${fmtShape(t.shape)} (in-place ops cannot broadcast the tensor itself)`);
  }
  if (promoteTypes(r.dtype, t.dtype) !== t.dtype) {
    throw new DTypeError(`${op}: the result has dtype ${r.dtype}, which cannot be written into a ${t.dtype} tensor in place`);
  }
  const rc = r.dtype === t.dtype ? r : noGrad(() => cast(r, t.dtype));
  dispatchMany("copyInto", [t, rc], [], null);
  bumpVersion(t);
  if (tracking) {
    t.gradFn = r.gradFn;
    t.requiresGrad = r.requiresGrad;
    // other views of this storage now hold values their gradFn does not describe
    markTrackedWrite(t);
  }
  return t;
}

export const add_ = (t: Tensor, o: TensorLike, alpha = 1) => applyInPlace("add_", t, [o], (x) => add(x, alpha === 1 ? o : mul(o, alpha)));
export const sub_ = (t: Tensor, o: TensorLike, alpha = 1) => applyInPlace("sub_", t, [o], (x) => sub(x, alpha === 1 ? o : mul(o, alpha)));
export const mul_ = (t: Tensor, o: TensorLike) => applyInPlace("mul_", t, [o], (x) => mul(x, o));
export const div_ = (t: Tensor, o: TensorLike) => applyInPlace("div_", t, [o], (x) => div(x, o));
export const clamp_ = (t: Tensor, lo?: number | null, hi?: number | null) => applyInPlace("clamp_", t, [], (x) => clamp(x, lo, hi));

/** Sets every element to zero (never recorded: the result does not depend on anything). */
export function zero_(t: Tensor): Tensor {
  checkWritable("zero_", t);
  return fill_(t, 0);
}

/** Sets every element to `v`. */
export function fill_(t: Tensor, v: number): Tensor {
  checkWritable("fill_", t);
  if (isGradEnabled() && t.isLeaf && t.requiresGrad) {
    throw new AutogradError(`fill_: a leaf tensor that requires grad (shape ${fmtShape(t.shape)}) cannot be modified in place while recording; use st.noGrad`);
  }
  checkValueFits("fill_", t.dtype, v); // an Int32Array would silently truncate 1.5 to 1
  dispatchMany("fill", [t], [], { value: v });
  bumpVersion(t);
  if (t.gradFn) {
    t.gradFn = null;
    t.requiresGrad = false;
    if (isGradEnabled()) markTrackedWrite(t);
  }
  return t;
}

/** Copies `src` (broadcast to this shape, cast to this dtype) into the tensor. */
export function copy_(t: Tensor, src: Tensor): Tensor {
  // the result does not depend on the old values, so the compute ignores them
  return applyInPlace("copy_", t, [src], (x) => {
    const e = shapesEqual(src.shape, x.shape) ? src : expand(src, x.shape);
    return e.dtype === x.dtype ? e : cast(e, x.dtype);
  });
}
