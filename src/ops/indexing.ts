// Index ops: gather, scatterAdd, indexSelect, indexAdd, maskedFill, oneHot, tril/triu.

import { arange } from "../core/creation.js";
import { DTypeError, IndexError, ShapeError, fmtShape } from "../core/errors.js";
import { normalizeDim } from "../core/shape.js";
import { promoteTypes } from "../core/dtype.js";
import type { Tensor } from "../core/tensor.js";
import { dispatch } from "./dispatch.js";
import { cast, eq, ge, le, mul, sub, where } from "./elementwise.js";
import { max, min } from "./reduce.js";
import { reshape, slice, unsqueeze } from "./shape.js";
import type { TensorLike } from "./util.js";

/** The index dtype; the range of each index is checked by the kernel (it reads the values). */
function checkIndexDType(op: string, index: Tensor): void {
  if (index.dtype !== "int32") throw new DTypeError(`${op}: index must be an int32 tensor (got ${index.dtype})`);
}

function checkGatherShapes(op: string, x: Tensor, dim: number, index: Tensor): number {
  const d = normalizeDim(op, dim, x.ndim);
  if (index.ndim !== x.ndim) throw new ShapeError(`${op}: index has ${index.ndim} dims but input has ${x.ndim} (expected the same number)`);
  for (let i = 0; i < x.ndim; i++) {
    if (i !== d && index.shape[i]! > x.shape[i]!) {
      throw new ShapeError(`${op}: index shape ${fmtShape(index.shape)} exceeds input shape ${fmtShape(x.shape)} at dim ${i}`);
    }
  }
  return d;
}

/**
 * out[i][j] = x[i][index[i][j]] for dim = 1 (and likewise for other dims), PyTorch's gather.
 * @example
 * const logp = st.tensor([[-0.1, -2.3], [-1.6, -0.2]]);
 * const targets = st.tensor([0, 1]);
 * st.gather(logp, 1, targets.unsqueeze(1)); // pick each row's target log-prob: [[-0.1], [-0.2]]
 */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  // a 0-d input is gathered as 1-D (the kernel's index walk needs a dim to stride along)
  if (x.ndim === 0 && index.ndim === 0) return reshape(gather(reshape(x, [1]), 0, reshape(index, [1])), []);
  const d = checkGatherShapes("gather", x, dim, index);
  checkIndexDType("gather", index);
  return dispatch("gather", [x, index], index.shape.slice(), x.dtype, { dim: d });
}

/**
 * Copy of `x` with `src` added at positions given by `index` along `dim` (PyTorch's scatter_add).
 * @example st.scatterAdd(st.zeros([3]), 0, st.tensor([0, 0, 2]), st.ones([3])); // [2, 0, 1] (float32)
 */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  const d = checkGatherShapes("scatterAdd", x, dim, index);
  checkIndexDType("scatterAdd", index);
  if (src.ndim !== index.ndim || index.shape.some((s, i) => s > src.shape[i]!)) {
    throw new ShapeError(`scatterAdd: src shape ${fmtShape(src.shape)} must be at least the index shape ${fmtShape(index.shape)}`);
  }
  const dtype = promoteTypes(x.dtype, src.dtype);
  const base = cast(x, dtype);
  // only the index-shaped corner of src is read (PyTorch semantics)
  let s = cast(src, dtype);
  if (s.shape.some((n, i) => n !== index.shape[i])) {
    s = slice(s, ...index.shape.map((n) => [0, n] as [number, number]));
  }
  return dispatch("scatterAdd", [base, index, s], x.shape.slice(), dtype, { dim: d });
}

/**
 * Entries of `x` along `dim` at the positions in the 1-D `index`.
 * @example st.indexSelect(st.tensor([[1, 2], [3, 4], [5, 6]]), 0, st.tensor([2, 0])); // [[5, 6], [1, 2]] (int32)
 */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = normalizeDim("indexSelect", dim, x.ndim);
  if (index.ndim > 1) throw new ShapeError(`indexSelect: index must be 0-D or 1-D (got shape ${fmtShape(index.shape)})`);
  checkIndexDType("indexSelect", index);
  const shape = x.shape.slice();
  shape[d] = index.size;
  return dispatch("indexSelect", [x, index], shape, x.dtype, { dim: d });
}

/**
 * Copy of `x` with rows of `src` added at `index` along `dim` (PyTorch's index_add), scaled by
 * `opts.alpha` (default 1): out[…, index[i], …] += alpha·src[…, i, …].
 * @example st.indexAdd(st.zeros([3]), 0, st.tensor([0, 2]), st.ones([2])); // [1, 0, 1] (float32)
 */
export function indexAdd(x: Tensor, dim: number, index: Tensor, src: Tensor, opts: { alpha?: number } = {}): Tensor {
  const d = normalizeDim("indexAdd", dim, x.ndim);
  checkIndexDType("indexAdd", index);
  if (index.ndim > 1) throw new ShapeError(`indexAdd: index must be 0-D or 1-D (got shape ${fmtShape(index.shape)})`);
  const want = x.shape.slice();
  want[d] = index.size;
  if (src.ndim !== x.ndim || src.shape.some((n, i) => n !== want[i])) {
    throw new ShapeError(`indexAdd: src has shape ${fmtShape(src.shape)}, expected ${fmtShape(want)}`);
  }
  const dtype = promoteTypes(x.dtype, src.dtype);
  const base = cast(x, dtype);
  const alpha = opts.alpha ?? 1;
  const s = alpha === 1 ? cast(src, dtype) : cast(mul(src, alpha), dtype);
  return dispatch("indexAdd", [base, index, s], x.shape.slice(), dtype, { dim: d });
}

/**
 * `value` where mask is true, x elsewhere (mask broadcasts).
 * @example st.maskedFill(st.tensor([1, 2, 3]), st.tensor([false, true, false]), 0); // [1, 0, 3] (int32)
 */
export function maskedFill(x: Tensor, mask: Tensor, value: TensorLike): Tensor {
  if (mask.dtype !== "bool") throw new DTypeError(`maskedFill: mask must be a bool tensor (got ${mask.dtype})`);
  const out = where(mask, value, x);
  return out.dtype === x.dtype ? out : cast(out, x.dtype);
}

/**
 * One-hot int32 encoding of class indices: shape [...index.shape, numClasses].
 * @example st.oneHot(st.tensor([0, 2]), 3); // [[1, 0, 0], [0, 0, 1]] (int32)
 */
export function oneHot(index: Tensor, numClasses = -1): Tensor {
  if (index.dtype !== "int32") throw new DTypeError(`oneHot: expected an int32 index tensor (got ${index.dtype})`);
  const hi = index.size === 0 ? -1 : max(index).item();
  const lo = index.size === 0 ? 0 : min(index).item();
  const n = numClasses < 0 ? hi + 1 : numClasses;
  const bad = lo < 0 ? lo : hi >= n ? hi : null;
  if (bad !== null) {
    throw new IndexError(`oneHot: index ${bad} is out of range for numClasses of size ${n} (expected 0 <= index < ${n})`);
  }
  return cast(eq(unsqueeze(index, -1), arange(0, n, { dtype: "int32" })), "int32");
}

function triMask(rows: number, cols: number, k: number, lower: boolean): Tensor {
  // j − i for every (i, j), compared with k
  const diff = sub(reshape(arange(0, cols, { dtype: "int32" }), [1, cols]), reshape(arange(0, rows, { dtype: "int32" }), [rows, 1]));
  return lower ? le(diff, k) : ge(diff, k);
}

/** The zero scalar that keeps x's dtype in where (a plain 0 would turn bool into int32). */
const zeroOf = (x: Tensor): number | boolean => (x.dtype === "bool" ? false : 0);

/**
 * Lower triangle (j − i ≤ k) of the last two dims; the rest zero (false for bool); keeps the dtype.
 * @example st.tril(st.ones([3, 3])); // [[1, 0, 0], [1, 1, 0], [1, 1, 1]] (float32)
 */
export function tril(x: Tensor, k = 0): Tensor {
  if (x.ndim < 2) throw new ShapeError(`tril: expected at least 2 dims (got shape ${fmtShape(x.shape)})`);
  return where(triMask(x.shape[x.ndim - 2]!, x.shape[x.ndim - 1]!, k, true), x, zeroOf(x));
}

/**
 * Upper triangle (j − i ≥ k) of the last two dims; the rest zero (false for bool); keeps the dtype.
 * @example st.triu(st.ones([3, 3], { dtype: "bool" }), 1) // causal mask: true above the diagonal
 */
export function triu(x: Tensor, k = 0): Tensor {
  if (x.ndim < 2) throw new ShapeError(`triu: expected at least 2 dims (got shape ${fmtShape(x.shape)})`);
  return where(triMask(x.shape[x.ndim - 2]!, x.shape[x.ndim - 1]!, k, false), x, zeroOf(x));
}
