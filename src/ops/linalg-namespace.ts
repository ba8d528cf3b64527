// st.linalg: PyTorch's torch.linalg names.

import { ValueError } from "../core/errors.js";
import { Tensor } from "../core/tensor.js";
import { type Dims, type NormOrd, norm as vectorNorm } from "./reduce.js";
import { matrixNorm } from "./linalg-norms.js";
export { matmul, cov, corrcoef, diagonal } from "./linalg.js";
export { cholesky, eigh, eigvalsh, qr, svd, svdvals } from "./linalg-decomp.js";
export type { CholeskyOptions, EighResult, QRResult, SVDOptions, SVDResult } from "./linalg-decomp.js";
export { det, inv, slogdet, solve, solveTriangular } from "./linalg-solve.js";
export type { SlogdetResult, SolveOptions, SolveTriangularOptions } from "./linalg-solve.js";
export { lstsq, matrixRank, pinv } from "./linalg-lstsq.js";
export type { LstsqOptions, LstsqResult, RankTolerance } from "./linalg-lstsq.js";
export { cond, matrixNorm, matrixPower, multiDot, vecdot } from "./linalg-norms.js";
export type { MatrixNormOptions, MatrixNormOrd } from "./linalg-norms.js";

/**
 * Vector or matrix norm, as PyTorch's `torch.linalg.norm(A, ord, dim, keepdim)`: with no `ord`,
 * the 2-norm of the flattened values over `dims` (the Frobenius norm of a matrix). With an `ord`,
 * a matrix norm (linalg.matrixNorm: "fro", "nuc", ±1, ±2, ±Infinity) when `dims` names two dims
 * or is omitted for a 2-D input; otherwise the vector norm of that order (linalg.vectorNorm).
 *
 * @example
 * const A = st.tensor([[3, 0], [0, 4]], { dtype: "float64" });
 * st.linalg.norm(A);    // 5 (Frobenius)
 * st.linalg.norm(A, 2); // 4 (spectral norm, as torch.linalg.norm)
 * st.linalg.norm(A, 2, 1); // [3, 4] (vector norms of the rows)
 */
export function norm(x: Tensor, ord?: NormOrd | "nuc", dims?: Dims, keepdim = false): Tensor {
  const two = Array.isArray(dims) && dims.length === 2;
  if (ord !== undefined && (two || (dims === undefined && x instanceof Tensor && x.ndim === 2))) {
    const o = ord === "inf" ? Infinity : ord === "-inf" ? -Infinity : ord;
    return matrixNorm(x, o, { dim: two ? (dims as [number, number]) : [-2, -1], keepdim });
  }
  if (ord === "nuc") throw new ValueError(`linalg.norm: ord "nuc" is a matrix norm: give a 2-D input or two dims (got ${dims === undefined ? "no dims" : `dims ${JSON.stringify(dims)}`} for a ${x.ndim}-D input)`);
  return vectorNorm(x, ord ?? 2, dims, keepdim);
}

/** Vector p-norm over `dims`, the flattened tensor by default (torch.linalg.vector_norm). */
export { vectorNorm };

/** PyTorch's torch.linalg.LinAlgError: singular or non-positive-definite input (also st.LinAlgError). */
export { LinAlgError } from "../core/errors.js";
