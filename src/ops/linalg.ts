// Vector and matrix products: dot, outer, matmul (1-D, 2-D, batched with broadcast batch dims),
// covariance and correlation, diagonal. (The SVD and the other factorizations: linalg-decomp.ts.)

import { diagonalGeneral } from "./diag.js";
import { isFloat, promoteTypes } from "../core/dtype.js";
import { ShapeError, fmtShape } from "../core/errors.js";
import { broadcastShapes, sizeOf } from "../core/shape.js";
import type { Tensor } from "../core/tensor.js";
import { cast, clamp, div, mul, sqrt, sub } from "./elementwise.js";
import { dispatch } from "./dispatch.js";
import { mean, sum } from "./reduce.js";
import { expand, reshape, slice, unsqueeze } from "./shape.js";
import { checkTensorArg } from "../core/validate.js";

/**
 * The primitive: C = op(A)·op(B) over broadcast batch dims, where op transposes the last two dims
 * when the flag is set — read in place by the kernel, never copied. Both inputs have ≥ 2 dims.
 * @internal
 */
export function matmulT(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  const dtype = promoteTypes(a.dtype, b.dtype);
  const fa = a.dtype === dtype ? a : cast(a, dtype);
  const fb = b.dtype === dtype ? b : cast(b, dtype);
  const ra = fa.ndim, rb = fb.ndim;
  const m = transA ? fa.shape[ra - 1]! : fa.shape[ra - 2]!;
  const k = transA ? fa.shape[ra - 2]! : fa.shape[ra - 1]!;
  const kb = transB ? fb.shape[rb - 1]! : fb.shape[rb - 2]!;
  const n = transB ? fb.shape[rb - 2]! : fb.shape[rb - 1]!;
  if (k !== kb) {
    throw new ShapeError(
      `matmul: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} are not aligned: ` +
        `the first's last dim (${k}) must equal the second's second-to-last dim (${kb})`,
    );
  }
  const batchA = fa.shape.slice(0, -2);
  const batchB = fb.shape.slice(0, -2);
  let batch: number[];
  try {
    batch = broadcastShapes("matmul", batchA, batchB);
  } catch {
    // name the whole operands, not just their batch parts
    throw new ShapeError(
      `matmul: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} have batch dims ${fmtShape(batchA)} and ${fmtShape(batchB)} ` +
        "that cannot be broadcast together (expected equal sizes or one of them 1)",
    );
  }
  const nb = sizeOf(batch);
  let A = fa, B = fb;
  // the kernel reads op(A), op(B) in place; batch strides follow from the operands' shapes
  // a batch that is neither full nor a single matrix is materialized by expand (rare)
  if (sizeOf(batchA) !== nb && sizeOf(batchA) !== 1) A = expand(fa, [...batch, ...fa.shape.slice(-2)]);
  if (sizeOf(batchB) !== nb && sizeOf(batchB) !== 1) B = expand(fb, [...batch, ...fb.shape.slice(-2)]);
  return dispatch("matmul", [A, B], [...batch, m, n], dtype, { transA, transB });
}

/**
 * The primitive behind nn.functional.linear: y = x·Wᵀ + b for x [m, k], W [n, k] (read transposed
 * in place) and b [n], all of one float dtype. The bias is added in place over the GEMM's output,
 * so a layer makes one tensor and one extra pass instead of a product and a broadcast sum.
 * Backward: dx = g·W, dW = gᵀ·x, db = Σ_rows g.
 * @internal
 */
export function linearT(x: Tensor, w: Tensor, b: Tensor): Tensor {
  return dispatch("linear", [x, w, b], [x.shape[0]!, w.shape[0]!], x.dtype, null);
}

/**
 * Matrix product with NumPy/PyTorch semantics: 1-D·1-D is the dot product, a 1-D operand is
 * promoted to a matrix and the added dim removed afterwards, and batch dims broadcast.
 *
 * @example
 * st.matmul(st.ones([2, 3]), st.ones([3, 4])).shape // [2, 4]
 * st.matmul(st.ones([8, 2, 3]), st.ones([3, 4])).shape // [8, 2, 4]
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkTensorArg("matmul", "the first operand", a);
  checkTensorArg("matmul", "the second operand", b);
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(`matmul: both arguments need at least 1 dim (got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}); use mul for scalars`);
  }
  if (a.ndim === 1 && b.ndim === 1) return dot(a, b);
  const A = a.ndim === 1 ? unsqueeze(a, 0) : a;
  const B = b.ndim === 1 ? unsqueeze(b, 1) : b;
  if (A.shape[A.ndim - 1] !== B.shape[B.ndim - 2]) {
    throw new ShapeError(
      `matmul: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} are not aligned: ` +
        `the first's last dim (${A.shape[A.ndim - 1]}) must equal the second's ${b.ndim === 1 ? "only" : "second-to-last"} dim (${B.shape[B.ndim - 2]})`,
    );
  }
  let out = matmulT(A, B, false, false);
  if (a.ndim === 1) out = reshape(out, [...out.shape.slice(0, -2), out.shape[out.ndim - 1]!]);
  if (b.ndim === 1) out = reshape(out, out.shape.slice(0, -1));
  return out;
}

/**
 * Inner product Σᵢ aᵢbᵢ of two 1-D tensors of equal length; a 0-d tensor.
 * @example st.dot(st.tensor([1, 2]), st.tensor([3, 4])); // 11 (int32)
 */
export function dot(a: Tensor, b: Tensor): Tensor {
  checkTensorArg("dot", "the first operand", a);
  checkTensorArg("dot", "the second operand", b);
  if (a.ndim !== 1 || b.ndim !== 1 || a.shape[0] !== b.shape[0]) {
    throw new ShapeError(`dot: expected two 1-D tensors of the same length (got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)})`);
  }
  return sum(mul(a, b));
}

/**
 * Outer product (a ⊗ b)ᵢⱼ = aᵢ·bⱼ of two 1-D tensors.
 * @example st.outer(st.tensor([1, 2]), st.tensor([3, 4])) // [[3, 4], [6, 8]]
 */
export function outer(a: Tensor, b: Tensor): Tensor {
  checkTensorArg("outer", "the first operand", a);
  checkTensorArg("outer", "the second operand", b);
  if (a.ndim !== 1 || b.ndim !== 1) {
    throw new ShapeError(`outer: expected two 1-D tensors (got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)})`);
  }
  return mul(reshape(a, [a.shape[0]!, 1]), reshape(b, [1, b.shape[0]!]));
}

/**
 * The diagonal of `x` over dims `dim1`, `dim2` (default 0, 1) shifted by `offset`, appended as
 * the last dim (PyTorch's torch.diagonal; ops/diag.ts has the details).
 * @example
 * ```ts
 * st.diagonal(st.tensor([[1, 2], [3, 4]])) // [1, 4]
 * ```
 */
export function diagonal(x: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  return diagonalGeneral(x, offset, dim1, dim2);
}

/**
 * Covariance matrix of the variables in the rows of `x` (observations in the columns), as NumPy
 * and PyTorch: C = (X − x̄)(X − x̄)ᵀ / (N − correction). A 1-D input is one variable (0-d result).
 * @example st.cov(st.tensor([[1, 2, 3], [2, 4, 6]], { dtype: "float64" })); // [[1, 2], [2, 4]] (float64)
 */
export function cov(x: Tensor, opts: { correction?: number } = {}): Tensor {
  if (x.ndim > 2) throw new ShapeError(`cov: expected a 1-D or 2-D tensor (got shape ${fmtShape(x.shape)})`);
  const correction = opts.correction ?? 1;
  const X = x.ndim < 2 ? reshape(x, [1, x.size]) : x;
  const xf = isFloat(X.dtype) ? X : cast(X, "float32");
  const n = X.shape[1]!;
  const centered = sub(xf, mean(xf, 1, true));
  const c = div(matmulT(centered, centered, false, true), Math.max(0, n - correction));
  return x.ndim < 2 ? reshape(c, []) : c;
}

/**
 * Pearson correlation matrix of the rows of `x`: Cᵢⱼ / √(Cᵢᵢ Cⱼⱼ), clipped to [−1, 1].
 * @example st.corrcoef(st.tensor([[1, 2, 3], [2, 4, 7]], { dtype: "float64" })); // [[1, 0.9934], [0.9934, 1]] (float64)
 */
export function corrcoef(x: Tensor): Tensor {
  const c = cov(x);
  if (c.ndim === 0) return div(c, c);
  const d = sqrt(diagonal(c));
  return clamp(div(div(c, unsqueeze(d, 1)), unsqueeze(d, 0)), -1, 1);
}
