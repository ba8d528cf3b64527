// The vector p-norm, as a composite of differentiable ops that never overflows, never underflows
// to a wrong zero, and never hides a non-finite input: NaN anywhere in a reduced slice gives NaN,
// +∞ (without NaN) gives +∞, in any position and on every backend — PyTorch's
// torch.linalg.vector_norm, which a library promising stability must not do worse than.

import { isFloat } from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import { normalizeDims, reducedShape } from "../core/shape.js";
import type { Tensor } from "../core/tensor.js";
import { viewOf } from "../core/tensor-internals.js";
import { abs, cast, div, eq, gt, isFinite, isNaN, logicalAnd, mul, ne, pow, sqrt, square, where } from "./elementwise.js";
import { type Dims, max, min, sum } from "./reduce.js";
import { reshape } from "./shape.js";

/** The order p of a norm: a positive number, `Infinity` (max |x|) or `"fro"` (Frobenius, for matrices). */
export type NormOrd = number | "fro" | "inf" | "-inf";

/** The values of `x` outside the graph (a view of its storage): for masks and scales. */
function detached(x: Tensor): Tensor {
  return x.requiresGrad ? viewOf(x, x.shape) : x;
}

/**
 * Vector p-norm over `dims` (all by default), PyTorch's `torch.linalg.vector_norm`:
 * - p = 2 / "fro": √Σx², p > 0: (Σ|x|ᵖ)^(1/p), evaluated as m·(Σ(|x|/m)ᵖ)^(1/p) with m = max|x|,
 *   so 1e30 in float32 neither overflows nor 1e-30 underflows; the gradient is 0 at the zero
 *   vector and at zero entries (also for p < 1, where |x|ᵖ has an infinite slope at 0);
 * - p = 1: Σ|x|; Infinity ("inf"): max|x|; −Infinity ("-inf"): min|x|; 0: the number of
 *   nonzero entries (NaN counts); p < 0: (Σ|x|ᵖ)^(1/p) (0 when an entry is 0);
 * - non-finite inputs: a NaN in a reduced slice gives NaN (its gradient NaN), otherwise a ±∞
 *   entry gives +∞ (1 for p < 0, whose terms |∞|ᵖ vanish), whatever the position of the entry.
 * @example
 * st.tensor([3, 4]).norm()            // 5
 * st.tensor([NaN, 1]).norm()          // NaN
 * st.tensor([Infinity, 1]).norm()     // Infinity
 * st.tensor([[3, 4], [NaN, 1]]).norm(2, 1) // [5, NaN]
 */
export function norm(x: Tensor, p: NormOrd = 2, dims?: Dims, keepdim = false): Tensor {
  const ord = p === "fro" ? 2 : p === "inf" ? Infinity : p === "-inf" ? -Infinity : p;
  if (typeof ord !== "number" || Number.isNaN(ord)) throw new ValueError(`norm: unsupported order ${String(p)} (expected a number, "fro", "inf" or "-inf")`);
  const xf = isFloat(x.dtype) ? x : cast(x, "float32");
  const a = abs(xf);
  // max and min propagate NaN; sum does too
  if (ord === Infinity) return max(a, dims, keepdim);
  if (ord === -Infinity) return min(a, dims, keepdim);
  if (ord === 1) return sum(a, dims, keepdim);
  if (ord === 0) return sum(cast(ne(a, 0), xf.dtype), dims, keepdim); // NaN ≠ 0 counts, as PyTorch
  const ax = normalizeDims("norm", dims, x.ndim);
  const ad = detached(a);
  const m = max(ad, ax, true); // NaN if the slice holds a NaN, +∞ if it holds an ∞
  const finiteM = isFinite(m);
  const scale = where(logicalAnd(finiteM, gt(m, 0)), m, 1);
  const scaled = div(a, scale);
  let r: Tensor;
  if (ord > 0) {
    let powed: Tensor;
    if (ord === 2) powed = square(scaled);
    else {
      // zero entries contribute 0 with gradient 0 (pow's slope at 0 is ∞ for p < 1, and 0·∞ = NaN)
      const nz = gt(ad, 0);
      powed = where(nz, pow(where(nz, scaled, 1), ord), 0);
    }
    const s = sum(powed, ax, true);
    const pos = gt(s, 0);
    const safe = where(pos, s, 1);
    const root = ord === 2 ? sqrt(safe) : pow(safe, 1 / ord);
    r = mul(where(pos, root, 0), scale);
  } else {
    // p < 0: zero entries make Σ = ∞ and the norm 0, which pow gives directly
    r = mul(pow(sum(pow(scaled, ord), ax, true), 1 / ord), scale);
  }
  // Non-finite slices: a NaN one becomes NaN with NaN gradients (|x|·NaN), an infinite one +∞
  // (the ∞ entries times 1, the others times 0); finite slices keep r (where routes the gradient).
  const w = where(isNaN(m), NaN, cast(eq(ad, Infinity), xf.dtype));
  const carrier = sum(mul(a, w), ax, true);
  r = ord > 0 ? where(finiteM, r, carrier) : where(isNaN(m), carrier, r);
  return keepdim ? r : reshape(r, reducedShape(x.shape, ax, false));
}
