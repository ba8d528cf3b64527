// st.linalg: PyTorch's torch.linalg names.

import type { Tensor } from "../core/tensor.js";
import { type Dims, type NormOrd, norm as vectorNorm } from "./reduce.js";
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
 * Vector or matrix norm (torch.linalg.norm): without dims, a 2-D input gets the Frobenius norm
 * and any other input the vector 2-norm of its flattened values.
 */
export function norm(x: Tensor, ord: NormOrd = 2, dims?: Dims, keepdim = false): Tensor {
  return vectorNorm(x, ord, dims, keepdim);
}

/** Vector p-norm over `dims`, the flattened tensor by default (torch.linalg.vector_norm). */
export { vectorNorm };

/** PyTorch's torch.linalg.LinAlgError: singular or non-positive-definite input (also st.LinAlgError). */
export { LinAlgError } from "../core/errors.js";
