// Shared checks and small tensor helpers of st.linalg: square-matrix checks, batch broadcasting,
// float promotion, transposes of the last two dims, identity and diagonal helpers. All helpers
// are tensor ops, so what is built from them stays differentiable.

import { eye } from "../core/creation.js";
import { type DType, isFloat, promoteTypes } from "../core/dtype.js";
import { ShapeError, ValueError, fmtShape } from "../core/errors.js";
import { broadcastShapes } from "../core/shape.js";
import type { Tensor } from "../core/tensor.js";
import { checkTensorArg } from "../core/validate.js";
import { cast, mul } from "./elementwise.js";
import { sum } from "./reduce.js";
import { expand, transpose, unsqueeze } from "./shape.js";

/** x as a float tensor: float inputs unchanged, integer and bool ones as float32 (as svd does). */
export function floatInput(who: string, what: string, x: unknown): Tensor {
  checkTensorArg(who, what, x);
  return isFloat(x.dtype) ? x : cast(x, "float32");
}

/** The float dtype two operands compute in. */
export function commonFloat(a: Tensor, b: Tensor): DType {
  const t = promoteTypes(a.dtype, b.dtype);
  return isFloat(t) ? t : "float32";
}

/** Refuses anything but a batch of square matrices (…, n, n); returns n. */
export function checkSquare(who: string, x: Tensor, what = "A"): number {
  if (x.ndim < 2) {
    throw new ShapeError(`${who}: ${what} must be a matrix or a batch of matrices of shape (*, n, n) (got shape ${fmtShape(x.shape)})`);
  }
  const n = x.shape[x.ndim - 1]!;
  if (x.shape[x.ndim - 2] !== n) {
    throw new ShapeError(`${who}: ${what} must be a batch of square matrices (got shape ${fmtShape(x.shape)}, whose last two dims ${x.shape[x.ndim - 2]}×${n} differ)`);
  }
  return n;
}

/** Refuses anything with fewer than 2 dims; returns [m, n] of the last two. */
export function checkMatrix(who: string, x: Tensor, what = "A"): [number, number] {
  if (x.ndim < 2) {
    throw new ShapeError(`${who}: ${what} must be a matrix or a batch of matrices of shape (*, m, n) (got shape ${fmtShape(x.shape)})`);
  }
  return [x.shape[x.ndim - 2]!, x.shape[x.ndim - 1]!];
}

/**
 * Broadcasts the batch dims (all but the last two) of a and b and expands both to them, so a
 * primitive sees one batch count; the error names both operands' full shapes.
 */
export function broadcastBatch(who: string, a: Tensor, b: Tensor): [Tensor, Tensor] {
  const ba = a.shape.slice(0, -2), bb = b.shape.slice(0, -2);
  let batch: number[];
  try {
    batch = broadcastShapes(who, ba, bb);
  } catch {
    throw new ShapeError(
      `${who}: the batch dims ${fmtShape(ba)} of A (shape ${fmtShape(a.shape)}) and ${fmtShape(bb)} of B (shape ${fmtShape(b.shape)}) ` +
        "cannot be broadcast together (expected equal sizes or one of them 1)",
    );
  }
  return [expand(a, [...batch, ...a.shape.slice(-2)]), expand(b, [...batch, ...b.shape.slice(-2)])];
}

/** Transpose of the last two dims (PyTorch's `.mT`). */
export const mT = (x: Tensor): Tensor => transpose(x, -2, -1);

/** The n×n identity of `dtype` (broadcasts against any batch). */
export const eyeOf = (n: number, dtype: DType): Tensor => eye(n, n, { dtype });

/** diag_embed: [..., n] → [..., n, n] with v on the diagonal (a differentiable product with I). */
export function diagEmbed(v: Tensor): Tensor {
  return mul(unsqueeze(v, -1), eyeOf(v.shape[v.ndim - 1]!, v.dtype));
}

/** The diagonal of the last two dims of a batch of square matrices: [..., n, n] → [..., n]. */
export function diagonalOf(x: Tensor): Tensor {
  return sum(mul(x, eyeOf(x.shape[x.ndim - 1]!, x.dtype)), -1);
}

/** A finite, non-negative number option or the default. */
export function checkTolerance(who: string, name: string, v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
    throw new ValueError(`${who}: ${name} must be a finite number ≥ 0 (got ${String(v)})`);
  }
  return v;
}

/** Machine epsilon of a float dtype (PyTorch's finfo(dtype).eps). */
export const epsOf = (dtype: DType): number => (dtype === "float64" ? 2 ** -52 : 2 ** -23);
