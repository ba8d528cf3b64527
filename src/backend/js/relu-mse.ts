// The js (reference) kernels of two fused training-step kernels: ReLU's backward from its output
// (PyTorch's threshold_backward), and the MSE loss with its backward. Each replaces a chain of
// elementwise ops and reductions; float32 results are rounded at the same points as that chain
// (d = x − t, d², the sum, the quotient), so on this backend they equal the composite bit for bit.

import type { FloatArray, MseReduction } from "../backend.js";

const same = (v: number): number => v;
/** Rounding to the array's dtype: Math.fround for float32, nothing for float64. */
const rounder = (a: FloatArray): ((v: number) => number) => (a instanceof Float32Array ? Math.fround : same);

/**
 * out = y ≤ 0 ? 0 : g. `y ≤ 0` rather than `y > 0`: a NaN output passes its gradient through,
 * as PyTorch's threshold_backward does (NaN ≤ 0 is false).
 */
export function reluBackward(g: FloatArray, y: FloatArray, out: FloatArray): void {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = y[i]! <= 0 ? 0 : g[i]!;
}

/** (x − t)² per element ("none"), or the float64-accumulated sum of the rounded squares (/ n for "mean"). */
export function mseLoss(x: FloatArray, t: FloatArray, reduction: MseReduction, out: FloatArray): void {
  const r = rounder(x);
  const n = x.length;
  if (reduction === "none") {
    for (let i = 0; i < n; i++) {
      const d = r(x[i]! - t[i]!);
      out[i] = d * d;
    }
    return;
  }
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = r(x[i]! - t[i]!);
    s += r(d * d);
  }
  // the mean divides the sum rounded to the dtype, as mean(square(x − t)) does (0/0 = NaN when empty)
  out[0] = reduction === "sum" ? s : r(s) / n;
}

/** dx = c·(2d), dt = −dx with c = g₀/n (mean), g₀ (sum) or gᵢ (none). */
export function mseLossBackward(
  g: FloatArray, x: FloatArray, t: FloatArray, reduction: MseReduction, dx: FloatArray | null, dt: FloatArray | null,
): void {
  const r = rounder(x);
  const n = x.length;
  const c0 = reduction === "none" ? 0 : reduction === "mean" ? r(g[0]! / n) : g[0]!;
  for (let i = 0; i < n; i++) {
    const c = reduction === "none" ? g[i]! : c0;
    const v = r(c * (r(x[i]! - t[i]!) * 2));
    if (dx) dx[i] = v;
    if (dt) dt[i] = -v;
  }
}
