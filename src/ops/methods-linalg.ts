// Method forms of the linear-algebra ops PyTorch offers on tensors (A.det(), A.inverse(),
// A.pinverse(), A.slogdet(), A.matrixPower(n)), attached to Tensor's prototype with declaration
// merging like ops/methods.ts; kept apart so the linalg files stay one import away.

import { Tensor } from "../core/tensor.js";
import { pinv } from "./linalg-lstsq.js";
import { matrixPower } from "./linalg-norms.js";
import { type SlogdetResult, det, inv, slogdet } from "./linalg-solve.js";

declare module "../core/tensor.js" {
  interface Tensor {
    /** det of each square matrix (linalg.det). @example st.tensor([[1, 2], [3, 4]]).det() // -2 */
    det(): Tensor;
    /**
     * A⁻¹ of each square matrix (linalg.inv; PyTorch's Tensor.inverse).
     * @example st.tensor([[2, 0], [0, 4]], { dtype: "float64" }).inverse(); // [[0.5, 0], [0, 0.25]] (float64)
     */
    inverse(): Tensor;
    /**
     * Moore–Penrose pseudo-inverse (linalg.pinv with rtol = rcond, PyTorch's default 1e-15).
     * @example st.tensor([[1, 2], [3, 4]], { dtype: "float64" }).pinverse(); // [[-2, 1], [1.5, -0.5]] (float64)
     */
    pinverse(rcond?: number): Tensor;
    /**
     * Sign and log|det| of each square matrix (linalg.slogdet).
     * @example st.tensor([[0, 2], [3, 0]], { dtype: "float64" }).slogdet().sign; // -1 (float64)
     */
    slogdet(): SlogdetResult;
    /**
     * The integer matrix power (linalg.matrixPower).
     * @example st.tensor([[1, 1], [0, 1]], { dtype: "float64" }).matrixPower(3); // [[1, 3], [0, 1]] (float64)
     */
    matrixPower(n: number): Tensor;
  }
}

Object.assign(Tensor.prototype as unknown as Record<string, unknown>, {
  det(this: Tensor) { return det(this); },
  inverse(this: Tensor) { return inv(this); },
  // Tensor.pinverse's rcond defaults to 1e-15 in PyTorch (not linalg.pinv's eps·max(m, n))
  pinverse(this: Tensor, rcond = 1e-15) { return pinv(this, { rtol: rcond }); },
  slogdet(this: Tensor) { return slogdet(this); },
  matrixPower(this: Tensor, n: number) { return matrixPower(this, n); },
});
