// Float64 helpers behind st.nn.init: an exact truncated-normal sampler (rejection, no inverse CDF,
// so far-tail intervals work) and the orthonormal factor of a Householder QR (orthogonal_).

import type { Generator } from "../core/random.js";

/**
 * One draw of Z ~ N(0, 1) conditioned on lo ≤ Z ≤ hi (either bound may be infinite), by exact
 * rejection from a proposal chosen so the acceptance rate stays bounded below for any interval
 * (Robert 1995, "Simulation of truncated normal variables"):
 *
 * - interval containing 0: N(0, 1) itself when wider than 2.5, else U(lo, hi) accepted with
 *   probability exp(−z²/2);
 * - interval in one tail, α = min|bound| > 0, width w: U(α, α + w) accepted with
 *   exp((α² − z²)/2) when w is small (≤ 2.5, or ≤ 1/α once α ≥ 1), else α + Exp(λ) with
 *   λ = (α + √(α² + 4))/2, accepted with exp(−(z − λ)²/2) and z ≤ β.
 */
export function truncatedStandardNormal(g: Generator, lo: number, hi: number): number {
  if (lo === hi) return lo;
  if (lo <= 0 && hi >= 0) {
    if (hi - lo >= 2.5) {
      for (;;) {
        const z = g.nextNormal();
        if (z >= lo && z <= hi) return z;
      }
    }
    for (;;) {
      const z = lo + (hi - lo) * g.nextFloat64();
      if (g.nextFloat64() < Math.exp(-0.5 * z * z)) return z;
    }
  }
  return lo > 0 ? tail(g, lo, hi) : -tail(g, -hi, -lo);
}

/** Z | α ≤ Z ≤ β for 0 < α < β ≤ ∞. */
function tail(g: Generator, a: number, b: number): number {
  const w = b - a;
  if (w <= (a < 1 ? 2.5 : 1 / a)) {
    for (;;) {
      const z = a + w * g.nextFloat64();
      if (g.nextFloat64() < Math.exp(0.5 * (a * a - z * z))) return z;
    }
  }
  const lambda = 0.5 * (a + Math.sqrt(a * a + 4));
  for (;;) {
    const z = a - Math.log(1 - g.nextFloat64()) / lambda;
    if (z <= b && g.nextFloat64() < Math.exp(-0.5 * (z - lambda) * (z - lambda))) return z;
  }
}

/**
 * Q of the thin QR decomposition A = QR of a row-major m×n matrix with m ≥ n, signs fixed so that
 * diag(R) > 0 (as PyTorch's orthogonal_ does with `q *= sign(diag(r))`); for Gaussian A this Q is
 * Haar-distributed. Householder reflections: stable (Q is orthonormal to rounding error) and
 * O(mn²), unlike Gram–Schmidt (which loses orthogonality) or a Jacobi SVD (many sweeps).
 * Returns Q row-major (m×n).
 */
export function householderQ(a: Float64Array, m: number, n: number): Float64Array {
  // Work on columns: col j of A is At[j*m .. j*m + m).
  const At = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) At[j * m + i] = a[i * n + j]!;
  const vs: Float64Array[] = [];
  const signs = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const col = k * m;
    let norm2 = 0;
    for (let i = k; i < m; i++) norm2 += At[col + i]! * At[col + i]!;
    const norm = Math.sqrt(norm2);
    const x0 = At[col + k]!;
    // R_kk = alpha; choosing alpha opposite in sign to x0 avoids cancellation in v = x − alpha·e1
    const alpha = x0 >= 0 ? -norm : norm;
    signs[k] = alpha < 0 ? -1 : 1;
    const v = new Float64Array(m - k);
    for (let i = k; i < m; i++) v[i - k] = At[col + i]!;
    v[0] = x0 - alpha;
    let vn2 = 0;
    for (let i = 0; i < v.length; i++) vn2 += v[i]! * v[i]!;
    if (vn2 > 0) {
      const inv = 1 / Math.sqrt(vn2);
      for (let i = 0; i < v.length; i++) v[i] = v[i]! * inv;
      // apply H = I − 2vvᵀ to the remaining columns
      for (let j = k; j < n; j++) {
        const cj = j * m;
        let d = 0;
        for (let i = k; i < m; i++) d += v[i - k]! * At[cj + i]!;
        d *= 2;
        for (let i = k; i < m; i++) At[cj + i] = At[cj + i]! - d * v[i - k]!;
      }
    }
    vs.push(v);
  }
  // Q = H₀H₁…H_{n−1}·[I; 0], applied right to left to the first n columns of the identity.
  const Qt = new Float64Array(m * n); // column-major again
  for (let j = 0; j < n; j++) Qt[j * m + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k]!;
    for (let j = 0; j < n; j++) {
      const cj = j * m;
      let d = 0;
      for (let i = k; i < m; i++) d += v[i - k]! * Qt[cj + i]!;
      if (d === 0) continue;
      d *= 2;
      for (let i = k; i < m; i++) Qt[cj + i] = Qt[cj + i]! - d * v[i - k]!;
    }
  }
  const q = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) q[i * n + j] = Qt[j * m + i]! * signs[j]!;
  return q;
}
