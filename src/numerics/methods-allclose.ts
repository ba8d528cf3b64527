// The method form x.allclose(y) of st.allclose (issue 15). Kept in numerics/, where allclose
// lives, because ops/ may not import numerics/ (DESIGN §2 layering).

import { Tensor } from "../core/tensor.js";
import { type AllcloseOptions, allclose } from "./compare.js";

declare module "../core/tensor.js" {
  interface Tensor {
    /**
     * |this − other| ≤ atol + rtol·|other| everywhere, with broadcasting (st.allclose).
     * @example
     * ```ts
     * st.tensor([1, 2]).allclose(st.tensor([1, 2 + 1e-7])) // true
     * ```
     */
    allclose(other: Tensor | number, opts?: AllcloseOptions): boolean;
  }
}

(Tensor.prototype as unknown as Record<string, unknown>).allclose = function (this: Tensor, other: Tensor | number, opts?: AllcloseOptions) {
  return allclose(this, other, opts);
};
