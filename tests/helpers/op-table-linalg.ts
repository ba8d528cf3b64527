// Op-table rows of st.linalg (spread into tests/helpers/op-table.ts): each primitive (solve,
// solveTriangular, det, slogdet, cholesky, qr, eigh, batched svd) and the composites built on
// them, on batched float64 inputs made well-conditioned inside the row (A + 3I, M·Mᵀ + nI, M + Mᵀ
// with distinct eigenvalues), so gradcheck and gradgradcheck test the rules, not the conditioning.
// Sign-ambiguous factors (eigenvectors, singular vectors) are differentiated through sign-invariant
// quantities (squares, V·diag(f(w))·Vᵀ).

import * as st from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { randomTensor as r } from "./data.js";
import type { OpRow } from "./op-table.js";

const I = (x: Tensor) => st.eye(x.shape[x.ndim - 1]!, x.shape[x.ndim - 1]!, { dtype: x.dtype });
/** A + 3I: entries of A in [−1, 1], so the matrix is diagonally dominant for n ≤ 3 and well-conditioned. */
const well = (a: Tensor) => a.add(I(a).mul(3));
/** M·Mᵀ + n·I: symmetric positive-definite. */
const spd = (m: Tensor) => st.matmul(m, m.transpose(-2, -1)).add(I(m).mul(m.shape[m.ndim - 1]!));
/** M + Mᵀ + diag(0, 2, 4, …): symmetric with well-separated eigenvalues. */
const sym = (m: Tensor) => {
  const n = m.shape[m.ndim - 1]!;
  const d = st.arange(0, n, { dtype: m.dtype }).mul(2);
  return m.add(m.transpose(-2, -1)).mul(0.5).add(I(m).mul(d.unsqueeze(-1)));
};
const flat = (...ts: Tensor[]) => st.cat(ts.map((t) => t.flatten()));

export const linalgOpRows: OpRow[] = [
  { name: "linalg.solve batched [2,3,3]·X = [2,3,2]", fn: (a, b) => st.linalg.solve(well(a), b), inputs: () => [r([2, 3, 3], 301), r([2, 3, 2], 302)], smooth: true },
  { name: "linalg.solve broadcast A [3,3], vector batch B [2,3]→[2,3,1]", fn: (a, b) => st.linalg.solve(well(a), b.unsqueeze(-1)), inputs: () => [r([3, 3], 303), r([2, 3], 304)], smooth: true },
  { name: "linalg.solve left: false", fn: (a, b) => st.linalg.solve(well(a), b, { left: false }), inputs: () => [r([3, 3], 305), r([2, 3], 306)], smooth: true },
  { name: "linalg.solveTriangular upper batched", fn: (a, b) => st.linalg.solveTriangular(well(a), b, { upper: true }), inputs: () => [r([2, 3, 3], 307), r([2, 3, 2], 308)], smooth: true },
  { name: "linalg.solveTriangular lower, right, unitriangular", fn: (a, b) => st.linalg.solveTriangular(a, b, { upper: false, left: false, unitriangular: true }), inputs: () => [r([3, 3], 309), r([2, 3], 310)], smooth: true },
  { name: "linalg.inv batched", fn: (a) => st.linalg.inv(well(a)), inputs: () => [r([2, 3, 3], 311)], smooth: true },
  { name: "linalg.det batched (signs of both kinds)", fn: (a) => st.linalg.det(a), inputs: () => [r([3, 3, 3], 312)], smooth: true },
  { name: "linalg.slogdet logabsdet batched", fn: (a) => st.linalg.slogdet(well(a)).logabsdet, inputs: () => [r([2, 3, 3], 313)], smooth: true },
  { name: "linalg.cholesky batched (of M·Mᵀ + nI)", fn: (m) => st.linalg.cholesky(spd(m)), inputs: () => [r([2, 3, 3], 314)], smooth: true },
  { name: "linalg.cholesky upper", fn: (m) => st.linalg.cholesky(spd(m), { upper: true }), inputs: () => [r([3, 3], 315)], smooth: true },
  { name: "linalg.qr reduced, tall batched [2,4,3]", fn: (a) => { const { Q, R } = st.linalg.qr(a); return flat(Q, R); }, inputs: () => [r([2, 4, 3], 316)], smooth: true },
  { name: "linalg.qr reduced, wide [3,5]", fn: (a) => { const { Q, R } = st.linalg.qr(a); return flat(Q, R); }, inputs: () => [r([3, 5], 317)], smooth: true },
  { name: "linalg.qr complete, wide [2,3,4]", fn: (a) => { const { Q, R } = st.linalg.qr(a, { mode: "complete" }); return flat(Q, R); }, inputs: () => [r([2, 3, 4], 318)], smooth: true },
  { name: "linalg.eigh eigenvalues and V² batched", fn: (m) => { const { eigenvalues, eigenvectors } = st.linalg.eigh(sym(m)); return flat(eigenvalues, eigenvectors.square()); }, inputs: () => [r([2, 3, 3], 319)], smooth: true },
  { name: "linalg.eigh V·diag(exp w)·Vᵀ, UPLO U", fn: (m) => { const { eigenvalues: w, eigenvectors: V } = st.linalg.eigh(sym(m), { UPLO: "U" }); return st.matmul(V.mul(w.exp().unsqueeze(-2)), V.transpose(-2, -1)); }, inputs: () => [r([4, 4], 320)], smooth: true },
  { name: "linalg.eigvalsh batched", fn: (m) => st.linalg.eigvalsh(sym(m)), inputs: () => [r([2, 3, 3], 321)], smooth: true },
  { name: "linalg.svd batched S, U², Vh² [2,4,3]", fn: (a) => { const { U, S, Vh } = st.linalg.svd(a); return flat(U.square(), S, Vh.square()); }, inputs: () => [r([2, 4, 3], 322)], smooth: true },
  { name: "linalg.svdvals batched wide [2,2,4]", fn: (a) => st.linalg.svdvals(a), inputs: () => [r([2, 2, 4], 323)], smooth: true },
  { name: "linalg.pinv tall batched", fn: (a) => st.linalg.pinv(a), inputs: () => [r([2, 4, 3], 324)], smooth: true },
  { name: "linalg.pinv hermitian", fn: (m) => st.linalg.pinv(spd(m), { hermitian: true }), inputs: () => [r([3, 3], 325)], smooth: true },
  { name: "linalg.lstsq solution and residuals [5,3], B [5,2]", fn: (a, b) => { const s = st.linalg.lstsq(a, b); return flat(s.solution, s.residuals); }, inputs: () => [r([5, 3], 326), r([5, 2], 327)], smooth: true },
  { name: "linalg.matrixNorm fro, keepdim", fn: (a) => st.linalg.matrixNorm(a, "fro", { keepdim: true }), inputs: () => [r([2, 3, 4], 328)], smooth: true },
  { name: "linalg.matrixNorm nuc", fn: (a) => st.linalg.matrixNorm(a, "nuc"), inputs: () => [r([2, 3, 4], 329)], smooth: true },
  { name: "linalg.matrixNorm 2 over dims [0, 2]", fn: (a) => st.linalg.matrixNorm(a, 2, { dim: [0, 2] }), inputs: () => [r([3, 2, 4], 330)], smooth: true },
  { name: "linalg.matrixNorm −2", fn: (a) => st.linalg.matrixNorm(a, -2), inputs: () => [r([2, 3, 3], 331)], smooth: true },
  { name: "linalg.matrixNorm 1 (distinct column sums)", fn: (a) => st.linalg.matrixNorm(a, 1), inputs: () => [r([2, 3, 4], 332, { signed: false })], smooth: true },
  { name: "linalg.matrixNorm −Infinity (distinct row sums)", fn: (a) => st.linalg.matrixNorm(a, -Infinity), inputs: () => [r([2, 3, 4], 333, { signed: false })], smooth: true },
  { name: "linalg.cond 2 batched", fn: (a) => st.linalg.cond(well(a)), inputs: () => [r([2, 3, 3], 334)], smooth: true },
  { name: "linalg.cond fro", fn: (a) => st.linalg.cond(well(a), "fro"), inputs: () => [r([3, 3], 335)], smooth: true },
  { name: "linalg.matrixPower 3 and −2", fn: (a) => flat(st.linalg.matrixPower(a, 3), st.linalg.matrixPower(well(a), -2)), inputs: () => [r([2, 3, 3], 336)], smooth: true },
  { name: "linalg.multiDot vector·M·M·M", fn: (v, a, b, c) => st.linalg.multiDot([v, a, b, c]), inputs: () => [r([3], 337), r([3, 4], 338), r([4, 2], 339), r([2, 3], 340)], smooth: true },
  { name: "linalg.vecdot broadcast", fn: (x, y) => st.linalg.vecdot(x, y), inputs: () => [r([2, 3, 4], 341), r([3, 4], 342)], smooth: true },
];
