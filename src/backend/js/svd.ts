// Float64 thin SVD (one-sided Jacobi) and symmetric eigendecomposition (cyclic Jacobi), pure TS.
//
// Why Jacobi: there is no LAPACK in the browser, and Jacobi methods are short, need no bidiagonal
// reduction or shift strategy, and are *relatively* accurate — small singular values/eigenvalues
// come out with small relative error, not just error ≈ ε‖A‖ as with QR-based methods (Demmel &
// Veselić 1992). They are O(n³) per sweep with a handful of sweeps, which suits the sizes the
// stability tools need (PCA of a few hundred features, Hessian blocks), not giant matrices.

import { NonFiniteError, ShapeError } from "../../core/errors.js";

const EPS = 2 ** -52;
/** Sweep cap: Jacobi converges quadratically, so well-conditioned inputs need ≈ 6–12 sweeps. */
const MAX_SWEEPS = 60;

/** Result of svdThin: A = U · diag(S) · Vh, all row-major. */
export interface ThinSVD {
  /** m×k, orthonormal columns. */
  U: Float64Array;
  /** k singular values, descending, ≥ 0. */
  S: Float64Array;
  /** k×n, orthonormal rows. */
  Vh: Float64Array;
}

/** Result of eighSym: A = V · diag(values) · Vᵀ. */
export interface SymEig {
  /** n eigenvalues, ascending. */
  values: Float64Array;
  /** n×n row-major; column j is the unit eigenvector for values[j]. */
  vectors: Float64Array;
}

/**
 * Thin singular value decomposition of a row-major m×n matrix, k = min(m, n):
 *
 *   A = U · diag(S) · Vh,  U: m×k with UᵀU = I,  S₁ ≥ … ≥ S_k ≥ 0,  Vh: k×n with Vh·Vhᵀ = I.
 *
 * Algorithm: one-sided Jacobi (Hestenes). On the tall orientation B (A, or Aᵀ when m < n) with
 * columns b_j, repeat sweeps over all pairs (p, q): with α = ‖b_p‖², β = ‖b_q‖², γ = b_pᵀb_q,
 * rotate the two columns by the angle that zeroes γ,
 *
 *   ζ = (β − α)/(2γ),  t = sign(ζ)/(|ζ| + √(1 + ζ²)),  c = 1/√(1 + t²),  s = c·t,
 *   b_p ← c·b_p − s·b_q,  b_q ← s·b_p + c·b_q   (the same rotation accumulates V),
 *
 * until every pair is orthogonal relative to its norms (|γ| ≤ rows·ε·√(αβ)). Then B·V has
 * orthogonal columns: S_j = ‖(BV)_j‖ and U_j = (BV)_j / S_j. Columns whose S_j = 0 (rank-deficient
 * input) are completed to an orthonormal set by Gram–Schmidt on unit vectors, so U always has
 * orthonormal columns. The input is first scaled by a power of two near 1/max|a_ij| (exact) so
 * that squared norms can neither overflow nor underflow; S is scaled back. Should 60 sweeps not
 * suffice (not seen short of pathological input), the current iterate is returned.
 *
 * @throws ShapeError if a.length ≠ m·n; NonFiniteError if A holds NaN or ±Infinity.
 */
export function svdThin(a: Float64Array, m: number, n: number): ThinSVD {
  checkDims("svdThin", a, m, n);
  const k = Math.min(m, n);
  if (k === 0) return { U: new Float64Array(m * k), S: new Float64Array(0), Vh: new Float64Array(k * n) };
  // Scale by a power of two 2^e near 1/max|a_ij|: exact (no rounding added to S), and squared
  // column norms can then neither overflow nor underflow.
  const e = exponentToUnit(maxAbs("svdThin", a));

  // B stored column-major: col j of B at [j·rows, (j+1)·rows). For m ≥ n, B = A; else B = Aᵀ,
  // whose columns are A's rows, so the copy is contiguous.
  const tall = m >= n;
  const rows = tall ? m : n;
  const cols = k;
  const B = new Float64Array(rows * cols);
  if (tall) {
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) B[j * m + i] = a[i * n + j]!;
  } else {
    B.set(a);
  }
  scalePow2(B, e);

  const { Ucols, S, Vcols } = jacobiTall(B, rows, cols);
  scalePow2(S, -e);

  if (tall) {
    // U[i][j] = Ucols[j·m + i];  Vh[j][i] = V[i][j] = Vcols[j·n + i], i.e. Vcols read row-major.
    const U = new Float64Array(m * k);
    for (let j = 0; j < k; j++) for (let i = 0; i < m; i++) U[i * k + j] = Ucols[j * m + i]!;
    return { U, S, Vh: Vcols };
  }
  // Aᵀ = U′ S V′ᵀ ⇒ A = V′ S U′ᵀ: U = V′ (m×m), Vh = U′ᵀ (m×n) which is Ucols read row-major.
  const U = new Float64Array(m * k);
  for (let j = 0; j < k; j++) for (let i = 0; i < m; i++) U[i * k + j] = Vcols[j * m + i]!;
  return { U, S, Vh: Ucols };
}

/**
 * One-sided Jacobi on a column-major rows×cols matrix B (rows ≥ cols), modified in place.
 * Returns U′ (rows×cols, column-major, orthonormal columns), S (descending) and V (cols×cols,
 * column-major) with B = U′·diag(S)·Vᵀ.
 */
function jacobiTall(B: Float64Array, rows: number, cols: number): { Ucols: Float64Array; S: Float64Array; Vcols: Float64Array } {
  const V = new Float64Array(cols * cols);
  for (let j = 0; j < cols; j++) V[j * cols + j] = 1;
  // Rounding in a length-`rows` dot product is ≈ rows·ε relative; asking for less never converges.
  const tol = Math.max(rows, 1) * EPS;

  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < cols - 1; p++) {
      const op = p * rows;
      for (let q = p + 1; q < cols; q++) {
        const oq = q * rows;
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < rows; i++) {
          const x = B[op + i]!;
          const y = B[oq + i]!;
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        // √α·√β rather than √(αβ): the product of two tiny squared norms can underflow to 0.
        if (gamma === 0 || Math.abs(gamma) <= tol * Math.sqrt(alpha) * Math.sqrt(beta)) continue;
        rotated = true;
        const [c, s] = rotation(alpha, beta, gamma);
        rotateCols(B, op, oq, rows, c, s);
        rotateCols(V, p * cols, q * cols, cols, c, s);
      }
    }
    if (!rotated) break;
  }

  // Singular values are the column norms; order them descending and permute U′, V to match.
  const norms = new Float64Array(cols);
  for (let j = 0; j < cols; j++) norms[j] = norm(B, j * rows, rows);
  const order = Array.from({ length: cols }, (_, j) => j).sort((x, y) => norms[y]! - norms[x]! || x - y);
  const S = new Float64Array(cols);
  const Ucols = new Float64Array(rows * cols);
  const Vcols = new Float64Array(cols * cols);
  for (let jj = 0; jj < cols; jj++) {
    const j = order[jj]!;
    S[jj] = norms[j]!;
    Vcols.set(V.subarray(j * cols, (j + 1) * cols), jj * cols);
    const sj = norms[j]!;
    if (sj > 0) for (let i = 0; i < rows; i++) Ucols[jj * rows + i] = B[j * rows + i]! / sj;
  }
  completeOrthonormal(Ucols, rows, cols, S);
  return { Ucols, S, Vcols };
}

/**
 * Makes the columns of U (column-major rows×cols) orthonormal where S alone cannot: columns with
 * S_j = 0 carry no direction and get a fresh unit vector e_i orthogonalised against all earlier
 * columns; columns at rounding level (S_j ≤ rows·ε·S₁) are re-orthogonalised against earlier ones,
 * which changes A's reconstruction by at most S_j and keeps UᵀU = I to working precision.
 */
function completeOrthonormal(U: Float64Array, rows: number, cols: number, S: Float64Array): void {
  const small = rows * EPS * S[0]!;
  const w = new Float64Array(rows);
  const cand = new Float64Array(rows);
  // Where the last search for a unit vector ended: the next good e_i is usually just after it
  // (for A = 0 this picks e_0, e_1, … with one try each instead of j tries for column j).
  let start = 0;
  for (let j = 0; j < cols; j++) {
    if (S[j]! > small) continue;
    const off = j * rows;
    if (S[j]! > 0) {
      w.set(U.subarray(off, off + rows));
      if (orthogonalize(U, w, rows, j) > 0.5) {
        U.set(w, off);
        continue;
      }
    }
    // Pick the unit vector with the largest component outside span(U₀..U_{j−1}); one with
    // residual² ≥ (rows − j)/rows ≥ 1/rows exists, and any residual above 1/√2 is good enough.
    let best = -1;
    let bestNorm = -1;
    for (let step = 0; step < rows; step++) {
      const e = (start + step) % rows;
      w.fill(0);
      w[e] = 1;
      const r = orthogonalize(U, w, rows, j);
      if (r > bestNorm) {
        bestNorm = r;
        best = e;
        cand.set(w);
      }
      if (r > Math.SQRT1_2) break;
    }
    if (best < 0) throw new Error("svdThin: internal error completing U");
    U.set(cand, off);
    start = (best + 1) % rows;
  }
}

/**
 * Removes from w its components along columns 0..count−1 of U (modified Gram–Schmidt, twice —
 * "twice is enough" for orthogonality to working precision), normalises w, and returns the norm
 * it had before normalising (a unit input keeps ≈ 1 if it was far from the span).
 */
function orthogonalize(U: Float64Array, w: Float64Array, rows: number, count: number): number {
  const before = norm(w, 0, rows);
  for (let pass = 0; pass < 2; pass++) {
    for (let c = 0; c < count; c++) {
      const off = c * rows;
      let d = 0;
      for (let i = 0; i < rows; i++) d += U[off + i]! * w[i]!;
      for (let i = 0; i < rows; i++) w[i] = w[i]! - d * U[off + i]!;
    }
  }
  const after = norm(w, 0, rows);
  if (after > 0) for (let i = 0; i < rows; i++) w[i] = w[i]! / after;
  return before > 0 ? after / before : 0;
}

/**
 * Symmetric eigendecomposition of a row-major n×n matrix, A = V·diag(λ)·Vᵀ with λ ascending.
 * Only the lower triangle is read (PyTorch's `eigh` default, UPLO='L'), or the upper with uplo "U".
 *
 * Algorithm: cyclic Jacobi. For each off-diagonal pair (p, q) with a_pq ≠ 0, the rotation
 *
 *   τ = (a_qq − a_pp)/(2a_pq),  t = sign(τ)/(|τ| + √(1 + τ²)),  c = 1/√(1 + t²),  s = c·t
 *
 * zeroes a_pq in JᵀAJ (a_pp ← a_pp − t·a_pq, a_qq ← a_qq + t·a_pq); V accumulates the J's.
 * Sweeps repeat until no pair satisfies |a_pq| > ε·max(√|a_pp·a_qq|, ε·‖A‖_F), at most 60.
 * The matrix is pre-scaled by a power of two near 1/max|a_ij| (exact) so the norms stay in range.
 *
 * @throws ShapeError if a.length ≠ n²; NonFiniteError if the triangle read holds NaN or ±Infinity.
 */
export function eighSym(a: Float64Array, n: number, uplo: "L" | "U" = "L"): SymEig {
  checkDims("eighSym", a, n, n);
  // Symmetric working copy from the chosen triangle.
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = uplo === "L" ? a[i * n + j]! : a[j * n + i]!;
      A[i * n + j] = v;
      A[j * n + i] = v;
    }
  }
  const max = maxAbs("eighSym", A);
  const values = new Float64Array(n);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  if (max === 0 || n === 0) return { values, vectors: V };
  const e = exponentToUnit(max);
  scalePow2(A, e);

  let fro = 0;
  for (let t = 0; t < n * n; t++) fro += A[t]! * A[t]!;
  const floor = EPS * Math.sqrt(fro);

  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q]!;
        const app = A[p * n + p]!;
        const aqq = A[q * n + q]!;
        // Relative test keeps tiny eigenvalues accurate; the absolute floor stops chasing noise
        // when a diagonal entry is (near) zero.
        if (Math.abs(apq) <= EPS * Math.max(Math.sqrt(Math.abs(app * aqq)), floor)) continue;
        rotated = true;
        const [c, s, t] = rotation(app, aqq, apq);
        // A ← JᵀAJ touches rows and columns p, q only; keep both triangles in sync.
        for (let r = 0; r < n; r++) {
          if (r === p || r === q) continue;
          const arp = A[r * n + p]!;
          const arq = A[r * n + q]!;
          const np = c * arp - s * arq;
          const nq = s * arp + c * arq;
          A[r * n + p] = np;
          A[p * n + r] = np;
          A[r * n + q] = nq;
          A[q * n + r] = nq;
        }
        A[p * n + p] = app - t * apq;
        A[q * n + q] = aqq + t * apq;
        A[p * n + q] = 0;
        A[q * n + p] = 0;
        for (let r = 0; r < n; r++) {
          const vrp = V[r * n + p]!;
          const vrq = V[r * n + q]!;
          V[r * n + p] = c * vrp - s * vrq;
          V[r * n + q] = s * vrp + c * vrq;
        }
      }
    }
    if (!rotated) break;
  }

  const order = Array.from({ length: n }, (_, j) => j).sort((x, y) => A[x * n + x]! - A[y * n + y]! || x - y);
  const vectors = new Float64Array(n * n);
  for (let jj = 0; jj < n; jj++) {
    const j = order[jj]!;
    values[jj] = A[j * n + j]!;
    for (let r = 0; r < n; r++) vectors[r * n + jj] = V[r * n + j]!;
  }
  scalePow2(values, -e);
  return { values, vectors };
}

/**
 * The Jacobi rotation (c, s) that diagonalises the symmetric 2×2 [[x, z], [z, y]] (z ≠ 0):
 * ζ = (y − x)/(2z), t = sign(ζ)/(|ζ| + √(1 + ζ²)) — the smaller root, so |angle| ≤ π/4, which is
 * what makes Jacobi converge — c = 1/√(1 + t²), s = c·t. Returns t too (eighSym's diagonal update).
 */
function rotation(x: number, y: number, z: number): [c: number, s: number, t: number] {
  const zeta = (y - x) / (2 * z);
  const az = Math.abs(zeta);
  // For |ζ| > 1e150, 1 + ζ² overflows; then t = 1/(2|ζ|) to full precision.
  const t = (zeta >= 0 ? 1 : -1) / (az > 1e150 ? 2 * az : az + Math.sqrt(1 + zeta * zeta));
  const c = 1 / Math.sqrt(1 + t * t);
  return [c, c * t, t];
}

/** Applies the rotation to two contiguous length-len columns: x ← c·x − s·y, y ← s·x + c·y. */
function rotateCols(M: Float64Array, ox: number, oy: number, len: number, c: number, s: number): void {
  for (let i = 0; i < len; i++) {
    const x = M[ox + i]!;
    const y = M[oy + i]!;
    M[ox + i] = c * x - s * y;
    M[oy + i] = s * x + c * y;
  }
}

function norm(x: Float64Array, off: number, len: number): number {
  let s = 0;
  for (let i = 0; i < len; i++) s += x[off + i]! * x[off + i]!;
  return Math.sqrt(s);
}

/** e such that max·2^e ∈ [1, 2) (0 for max = 0). */
function exponentToUnit(max: number): number {
  if (max === 0) return 0;
  let e = -Math.floor(Math.log2(max));
  // log2 can be off by one ulp at powers of two; nudge so max·2^e really lies in [1, 2).
  while (max * 2 ** Math.ceil(e / 2) * 2 ** (e - Math.ceil(e / 2)) >= 2) e--;
  while (max * 2 ** Math.ceil(e / 2) * 2 ** (e - Math.ceil(e / 2)) < 1) e++;
  return e;
}

/**
 * x ← x·2^e in two steps of ≈ e/2, because 2^e alone overflows for |e| > 1023 (subnormal input
 * needs e up to 1074). Exact unless a result is subnormal.
 */
function scalePow2(x: Float64Array, e: number): void {
  if (e === 0) return;
  const h = Math.ceil(e / 2);
  const f1 = 2 ** h;
  const f2 = 2 ** (e - h);
  for (let i = 0; i < x.length; i++) x[i] = x[i]! * f1 * f2;
}

function maxAbs(op: string, a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]!);
    if (!(v <= Number.MAX_VALUE)) throw new NonFiniteError(`${op}: input holds ${a[i]} at flat index ${i}`);
    if (v > m) m = v;
  }
  return m;
}

function checkDims(op: string, a: Float64Array, m: number, n: number): void {
  if (!Number.isInteger(m) || !Number.isInteger(n) || m < 0 || n < 0) {
    throw new ShapeError(`${op}: dims must be non-negative integers, got ${m}×${n}`);
  }
  if (a.length !== m * n) {
    throw new ShapeError(`${op}: expected ${m}×${n} = ${m * n} elements, got ${a.length}`);
  }
}
