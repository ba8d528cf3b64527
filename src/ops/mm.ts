// The strict matrix products of PyTorch: mm (2-D only), bmm (3-D with equal batches), and the
// fused-looking addmm / baddbmm (β·input + α·product), all routed to matmul's GEMM.

import { ShapeError, fmtShape } from "../core/errors.js";
import type { Tensor } from "../core/tensor.js";
import { checkTensorArg } from "../core/validate.js";
import { add, mul } from "./elementwise.js";
import { matmul } from "./linalg.js";
import { expand } from "./shape.js";

/**
 * The matrix product of two 2-D tensors, [n, k]·[k, m] → [n, m] (no broadcasting: use matmul
 * for that).
 * @example
 * ```ts
 * st.mm(st.ones([2, 3]), st.ones([3, 4])) // shape [2, 4], every entry 3
 * ```
 */
export function mm(a: Tensor, b: Tensor): Tensor {
  checkTensorArg("mm", "the first operand", a);
  checkTensorArg("mm", "the second operand", b);
  if (a.ndim !== 2 || b.ndim !== 2 || a.shape[1] !== b.shape[0]) {
    throw new ShapeError(`mm: expected 2-D tensors [n, k] and [k, m] (got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)})`);
  }
  return matmul(a, b);
}

/**
 * Batched matrix product of two 3-D tensors, [b, n, k]·[b, k, m] → [b, n, m] (equal batches).
 * @example
 * ```ts
 * st.bmm(st.ones([5, 2, 3]), st.ones([5, 3, 4])) // shape [5, 2, 4]
 * ```
 */
export function bmm(a: Tensor, b: Tensor): Tensor {
  checkTensorArg("bmm", "the first operand", a);
  checkTensorArg("bmm", "the second operand", b);
  if (a.ndim !== 3 || b.ndim !== 3 || a.shape[0] !== b.shape[0] || a.shape[2] !== b.shape[1]) {
    throw new ShapeError(`bmm: expected 3-D tensors [b, n, k] and [b, k, m] (got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)})`);
  }
  return matmul(a, b);
}

/** Options of addmm / baddbmm: out = beta·input + alpha·product (both default 1). */
export interface AddmmOptions {
  /** Scale of input (default 1; 0 ignores input, NaN included). */
  beta?: number;
  /** Scale of the matrix product (default 1). */
  alpha?: number;
}

function combine(op: string, input: Tensor, product: Tensor, opts: AddmmOptions): Tensor {
  const beta = opts.beta ?? 1, alpha = opts.alpha ?? 1;
  const p = alpha === 1 ? product : mul(product, alpha);
  // beta = 0 ignores input entirely (NaN in it does not propagate), as PyTorch documents
  if (beta === 0) return p;
  let inp: Tensor;
  try {
    inp = expand(input, product.shape);
  } catch {
    throw new ShapeError(`${op}: input of shape ${fmtShape(input.shape)} does not broadcast to the product's shape ${fmtShape(product.shape)}`);
  }
  return add(beta === 1 ? inp : mul(inp, beta), p);
}

/**
 * beta·input + alpha·(m1·m2) with 2-D m1, m2 and input broadcastable to the product.
 * @example
 * ```ts
 * st.addmm(st.zeros([2]), st.ones([2, 3]), st.ones([3, 2]), { alpha: 2 }) // [[6, 6], [6, 6]]
 * ```
 */
export function addmm(input: Tensor, m1: Tensor, m2: Tensor, opts: AddmmOptions = {}): Tensor {
  checkTensorArg("addmm", "input", input);
  return combine("addmm", input, mm(m1, m2), opts);
}

/**
 * beta·input + alpha·bmm(b1, b2), batched: input broadcasts to [b, n, m].
 * @example
 * ```ts
 * st.baddbmm(st.zeros([1, 2, 2]), st.ones([3, 2, 4]), st.ones([3, 4, 2])) // shape [3, 2, 2], entries 4
 * ```
 */
export function baddbmm(input: Tensor, b1: Tensor, b2: Tensor, opts: AddmmOptions = {}): Tensor {
  checkTensorArg("baddbmm", "input", input);
  return combine("baddbmm", input, bmm(b1, b2), opts);
}
