// Helpers shared by op files: scalar → tensor conversion and small tensor constructors.

import { type DType, allocate, checkValueFits, dtypeOfScalar, promoteTypes, promoteWithScalar } from "../core/dtype.js";
import { DTypeError } from "../core/errors.js";
import { Tensor } from "../core/tensor.js";
import { emptyTensor, fromTypedArray } from "../core/tensor-internals.js";

/**
 * What binary ops take besides a Tensor: a JavaScript number or boolean (a scalar that adopts the tensor's dtype when it fits, like PyTorch's Python scalars).
 */
export type TensorLike = Tensor | number | boolean;

/** A new tensor of `shape`/`dtype` with a fresh zeroed array (kernels fill it). */
export function empty(shape: number[], dtype: DType): Tensor {
  return emptyTensor(shape, dtype);
}

/** Wraps a scalar as a 0-d tensor of `dtype`. */
export function scalarTensor(v: number | boolean, dtype: DType): Tensor {
  // a fresh one-element array wrapped as a tensor (as st.tensor(typedArray) does), never a kernel's
  const data = allocate(dtype, 1);
  data[0] = typeof v === "boolean" ? (v ? 1 : 0) : v;
  return fromTypedArray(data, [], dtype);
}

/**
 * Result dtype of a binary op on two operands, with PyTorch's rule that a plain number only moves
 * the result to a higher category (int tensor + 0.5 → float32; float64 tensor + 2 → float64).
 */
export function resultType(a: TensorLike, b: TensorLike): DType {
  if (a instanceof Tensor) {
    if (b instanceof Tensor) {
      // a 0-d tensor participates like a scalar when the other operand has dims (PyTorch)
      if (a.ndim === 0 && b.ndim > 0) return categoryPromote(b.dtype, a.dtype);
      if (b.ndim === 0 && a.ndim > 0) return categoryPromote(a.dtype, b.dtype);
      return promoteTypes(a.dtype, b.dtype);
    }
    return promoteWithScalar(a.dtype, b);
  }
  if (b instanceof Tensor) return promoteWithScalar(b.dtype, a);
  return promoteTypes(dtypeOfScalar(a), dtypeOfScalar(b));
}

function categoryPromote(dimmed: DType, zeroD: DType): DType {
  const cat = (d: DType) => (d === "bool" ? 0 : d === "int32" ? 1 : 2);
  // a higher-category 0-d tensor decides the dtype itself (int32 tensor + float64 0-d → float64)
  if (cat(zeroD) > cat(dimmed)) return zeroD;
  return dimmed;
}

/** Converts a scalar operand to a 0-d tensor of `dtype`; tensors pass through. */
export function toTensor(op: string, x: TensorLike, dtype: DType): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x !== "number" && typeof x !== "boolean") {
    throw new DTypeError(`${op}: expected a Tensor, number or boolean (got ${x === null ? "null" : typeof x})`);
  }
  if (typeof x === "number") checkValueFits(op, dtype, x);
  return scalarTensor(x, dtype);
}
