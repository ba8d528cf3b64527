// st.linalg: PyTorch's torch.linalg names.

import type { Tensor } from "../core/tensor.js";
import { type Dims, type NormOrd, norm as vectorNorm } from "./reduce.js";
export { svd, matmul, cov, corrcoef, diagonal } from "./linalg.js";
export type { SVDResult } from "./linalg.js";

/**
 * Vector or matrix norm (torch.linalg.norm): without dims, a 2-D input gets the Frobenius norm
 * and any other input the vector 2-norm of its flattened values.
 * @example st.linalg.norm(st.tensor([[3, 4], [0, 0]], { dtype: "float32" }), 2, 1); // [5, 0] (float32)
 */
export function norm(x: Tensor, ord: NormOrd = 2, dims?: Dims, keepdim = false): Tensor {
  return vectorNorm(x, ord, dims, keepdim);
}

/** Vector p-norm over `dims`, the flattened tensor by default (torch.linalg.vector_norm). */
export { vectorNorm };
