// Matrix factorizations of st.linalg, batched over leading dims: cholesky, qr, eigh / eigvalsh,
// svd / svdvals. Each is one primitive (kernels in backend/js/linalg-*.ts and svd.ts) whose
// several results are packed into one output tensor, so they share one graph node and one
// backward rule (ops/linalg-grad.ts); the results are differentiable slices of it.

import { ValueError } from "../core/errors.js";
import type { Tensor } from "../core/tensor.js";
import { empty } from "./util.js";
import { dispatch } from "./dispatch.js";
import { cat, reshape, slice } from "./shape.js";
import { checkMatrix, checkSquare, floatInput, mT } from "./linalg-util.js";
import type { SliceRange } from "./slice-args.js";

/** Entries [from, to) of the last dim of a packed output, reshaped to `shape` after the batch dims. */
function part(packed: Tensor, from: number, to: number, shape: number[]): Tensor {
  const batch = packed.shape.slice(0, -1);
  const ranges: SliceRange[] = [...batch.map((): SliceRange => null), [from, to]];
  return reshape(slice(packed, ...ranges), [...batch, ...shape]);
}

/** Options of linalg.cholesky. */
export interface CholeskyOptions {
  /** Return the upper factor U = Lᵀ (A = UᵀU) instead of L. Default false. */
  upper?: boolean;
}

/**
 * Cholesky factor of each symmetric positive-definite matrix (PyTorch's `torch.linalg.cholesky`):
 * the lower-triangular L with positive diagonal and A = L·Lᵀ (or U = Lᵀ with `upper: true`).
 * Only the lower triangle of A is read. Computed in float64.
 *
 * Differentiable (PyTorch's cholesky_backward): with P = tril(Lᵀ·G) and Φ = ½(P + strict(P)ᵀ),
 * ∂A = L⁻ᵀ·Φ·L⁻¹ (two triangular solves; symmetric).
 *
 * @throws LinAlgError naming the batch element and the order of the leading minor that is not
 *   positive-definite; ShapeError for non-square input.
 * @example
 * st.linalg.cholesky(st.tensor([[4, 2], [2, 5]], { dtype: "float64" })); // [[2, 0], [1, 2]]
 */
export function cholesky(A0: Tensor, opts: CholeskyOptions = {}): Tensor {
  const who = "linalg.cholesky";
  const A = floatInput(who, "A", A0);
  const n = checkSquare(who, A);
  const L = dispatch("cholesky", [A], A.shape.slice(), A.dtype, { n, who });
  return opts.upper ? mT(L) : L;
}

/** Result of linalg.qr: A = Q·R. */
export interface QRResult {
  /** Orthonormal columns: m×k ("reduced"), m×m ("complete"); empty for mode "r". */
  Q: Tensor;
  /** Upper triangular: k×n ("reduced", "r") or m×n ("complete"). */
  R: Tensor;
}

/**
 * QR decomposition A = Q·R of each m×n matrix, k = min(m, n) (PyTorch's `torch.linalg.qr`):
 * mode "reduced" (default) gives Q m×k and R k×n, "complete" Q m×m and R m×n, "r" only R (Q is
 * an empty tensor). Householder reflections in float64 with LAPACK's signs (R's diagonal may be
 * negative, as in PyTorch).
 *
 * Differentiable for full-rank A (TensorFlow's / PyTorch's qr backward): for m ≥ n,
 * ∂A = Q·(G_R + tril(QᵀG_Q − G_QᵀQ + R·G_Rᵀ − G_R·Rᵀ)·R⁻ᵀ) + (G_Q − Q·QᵀG_Q)·R⁻ᵀ; for m < n the
 * square block and the rest of R are split as PyTorch does. Mode "complete" with m > n is not
 * differentiable (backward raises AutogradError, as PyTorch).
 *
 * @example
 * const { Q, R } = st.linalg.qr(st.randn([5, 3], { dtype: "float64" }));
 * Q.transpose(-2, -1).matmul(Q); // ≈ I₃ ; Q.matmul(R) ≈ A
 */
export function qr(A0: Tensor, opts: { mode?: "reduced" | "complete" | "r" } = {}): QRResult {
  const who = "linalg.qr";
  const mode = opts.mode ?? "reduced";
  if (mode !== "reduced" && mode !== "complete" && mode !== "r") {
    throw new ValueError(`${who}: mode must be "reduced", "complete" or "r" (got ${JSON.stringify(mode)})`);
  }
  const A = floatInput(who, "A", A0);
  const [m, n] = checkMatrix(who, A);
  const complete = mode === "complete";
  const kq = complete ? m : Math.min(m, n);
  const batch = A.shape.slice(0, -2);
  const packed = dispatch("qr", [A], [...batch, m * kq + kq * n], A.dtype, { m, n, complete, who });
  const { Q, R } = unpackQr(packed, m, n, complete);
  return mode === "r" ? { Q: empty([0], A.dtype), R } : { Q, R };
}

/** @internal Splits the packed [Q | R] output of the qr primitive. */
export function unpackQr(packed: Tensor, m: number, n: number, complete: boolean): QRResult {
  const kq = complete ? m : Math.min(m, n);
  return { Q: part(packed, 0, m * kq, [m, kq]), R: part(packed, m * kq, m * kq + kq * n, [kq, n]) };
}

/** Result of linalg.eigh: A = V·diag(eigenvalues)·Vᵀ. */
export interface EighResult {
  /** Ascending. */
  eigenvalues: Tensor;
  /** Column j is the unit eigenvector of eigenvalues[j] (sign arbitrary). */
  eigenvectors: Tensor;
}

/**
 * Eigendecomposition of each symmetric matrix (PyTorch's `torch.linalg.eigh`): eigenvalues in
 * ascending order and orthonormal eigenvectors as columns. Only the triangle named by UPLO is read
 * ("L", the default, or "U"). Cyclic Jacobi in float64: eigenvalues accurate to ≈ 1e-15·‖A‖ and,
 * unlike QR iteration, small ones to high relative accuracy.
 *
 * Differentiable for distinct eigenvalues (PyTorch's linalg_eig_backward, symmetric case):
 * ∂A = V·(diag(G_w) + ½(VᵀG_V − G_VᵀV) ⊘ E)·Vᵀ with E_ij = w_j − w_i. Eigenvectors are defined up
 * to sign: differentiate sign-invariant quantities (w, V·diag(f(w))·Vᵀ, |V|, …).
 *
 * @example
 * const { eigenvalues, eigenvectors } = st.linalg.eigh(st.tensor([[2, 1], [1, 2]], { dtype: "float64" }));
 * // eigenvalues [1, 3]
 */
export function eigh(A0: Tensor, opts: { UPLO?: "L" | "U" } = {}): EighResult {
  const who = "linalg.eigh";
  const uplo = opts.UPLO ?? "L";
  if (uplo !== "L" && uplo !== "U") throw new ValueError(`${who}: UPLO must be "L" or "U" (got ${JSON.stringify(uplo)})`);
  const A = floatInput(who, "A", A0);
  const n = checkSquare(who, A);
  const packed = dispatch("eigh", [A], [...A.shape.slice(0, -2), n + n * n], A.dtype, { n, uplo });
  return unpackEigh(packed, n);
}

/** @internal Splits the packed [w | V] output of the eigh primitive. */
export function unpackEigh(packed: Tensor, n: number): EighResult {
  return { eigenvalues: part(packed, 0, n, [n]), eigenvectors: part(packed, n, n + n * n, [n, n]) };
}

/**
 * Eigenvalues (ascending) of each symmetric matrix, PyTorch's `torch.linalg.eigvalsh`; as
 * `eigh(A, opts).eigenvalues`. Differentiable: ∂A = V·diag(G)·Vᵀ.
 * @example st.linalg.eigvalsh(st.tensor([[2, 1], [1, 2]], { dtype: "float64" })); // [1, 3]
 */
export function eigvalsh(A: Tensor, opts: { UPLO?: "L" | "U" } = {}): Tensor {
  return eigh(A, opts).eigenvalues;
}

/** Result of `linalg.svd`: A = U · diag(S) · Vh. */
export interface SVDResult {
  /** Left singular vectors as columns, [..., m, k] (k = min(m, n)), or [..., m, m] with fullMatrices. */
  U: Tensor;
  /** Singular values [..., k], non-negative, in descending order. */
  S: Tensor;
  /** Right singular vectors as rows (Vᴴ), [..., k, n], or [..., n, n] with fullMatrices. */
  Vh: Tensor;
}

/** Options of linalg.svd. */
export interface SVDOptions {
  /**
   * Also return the orthonormal completions: U (*, m, m) and Vh (*, n, n) (PyTorch's
   * full_matrices=True). Default false — the thin factors, which this library returned before the
   * option existed (PyTorch's default is true).
   */
  fullMatrices?: boolean;
}

/**
 * Singular value decomposition of a matrix or a batch of matrices (*, m, n) (PyTorch's
 * `torch.linalg.svd`), A = U·diag(S)·Vh with k = min(m, n) singular values S in descending order.
 * Thin by default: U (*, m, k), Vh (*, k, n) (PyTorch's `full_matrices=False`); with
 * `fullMatrices: true`, U (*, m, m) and Vh (*, n, n), the extra columns / rows an orthonormal
 * completion (from a complete QR). Computed by one-sided Jacobi in float64 and returned in the
 * input's dtype.
 *
 * Differentiable (for distinct, non-zero singular values): the primitive returns U, S and Vh
 * packed into one tensor, so the three results share one graph node and one backward rule.
 * U and V are defined up to the sign of each column pair; differentiate gauge-invariant
 * quantities (S, U·diag(S)·Vh, |U|, …) for meaningful gradients. The completion columns of
 * `fullMatrices` carry no gradient (they are not unique; PyTorch likewise ignores them).
 *
 * @example
 * const { U, S, Vh } = st.linalg.svd(st.randn([5, 3]));
 * st.linalg.svd(st.randn([8, 4, 3])).S.shape; // [8, 3]
 * st.linalg.svd(st.randn([5, 3]), { fullMatrices: true }).U.shape; // [5, 5]
 */
export function svd(a: Tensor, opts: SVDOptions = {}): SVDResult {
  const who = "linalg.svd";
  const A = floatInput(who, "A", a);
  const [m, n] = checkMatrix(who, A);
  const k = Math.min(m, n);
  // one-sided Jacobi in float64 (backend/js/svd.ts), packed as [U | S | Vh] per matrix
  const packed = dispatch("svd", [A], [...A.shape.slice(0, -2), m * k + k + k * n], A.dtype, { m, n });
  const thin = unpackSvd(packed, m, n);
  if (!opts.fullMatrices || m === n) return thin;
  // the complement of span(U) (m > n) or of span(V) (m < n): the last columns of a complete QR
  const complement = (B: Tensor) => {
    const Q = qr(B.detach(), { mode: "complete" }).Q;
    const rows = Q.shape[Q.ndim - 1]!;
    return slice(Q, ...Q.shape.slice(0, -1).map((): SliceRange => null), [k, rows]);
  };
  if (m > n) return { ...thin, U: cat([thin.U, complement(thin.U)], -1) };
  return { ...thin, Vh: cat([thin.Vh, mT(complement(mT(thin.Vh)))], -2) };
}

/** Splits the packed [U | S | Vh] tensor of the svd primitive (differentiably). @internal */
export function unpackSvd(packed: Tensor, m: number, n: number): SVDResult {
  const k = Math.min(m, n);
  return {
    U: part(packed, 0, m * k, [m, k]),
    S: part(packed, m * k, m * k + k, [k]),
    Vh: part(packed, m * k + k, m * k + k + k * n, [k, n]),
  };
}

/**
 * Singular values (descending) of each matrix, PyTorch's `torch.linalg.svdvals`; as `svd(A).S`.
 * Differentiable: ∂A = U·diag(G)·Vh.
 * @example st.linalg.svdvals(st.tensor([[3, 0], [0, -4]], { dtype: "float64" })); // [4, 3]
 */
export function svdvals(A: Tensor): Tensor {
  return svd(A).S;
}
