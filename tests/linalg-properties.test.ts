// Defining properties of st.linalg's factorizations on random batched inputs (fast-check over
// sizes and seeds): A·solve(A, B) = B, inv(A)·A = I, Q orthonormal and Q·R = A, L·Lᵀ = A,
// V·diag(w)·Vᵀ = A, the four Moore–Penrose conditions of pinv, det/slogdet consistency; exact
// results on small integer matrices; float64 accuracy to ~1e-12.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { expectClose } from "./helpers/close.js";

const f64 = { dtype: "float64" as const };
const gen = (seed: number) => new st.Generator(seed);
const randn = (shape: number[], seed: number, dtype: "float32" | "float64" = "float64") => st.randn(shape, { dtype, generator: gen(seed) });
const mT = (x: Tensor) => x.transpose(-2, -1);
const eyeN = (n: number, dtype: "float32" | "float64" = "float64") => st.eye(n, n, { dtype });
/** max |x − y| relative to max |y| (≥ 1e-300). */
const relErr = (x: Tensor, y: Tensor) => x.sub(y).abs().max().item() / Math.max(y.abs().max().item(), 1e-300);
const batchArb = fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 });
const seedArb = fc.integer({ min: 1, max: 1_000_000 });

describe("solve, inv, det", () => {
  it("A·solve(A, B) = B and inv(A)·A = I on random batched systems (float64 to 1e-12)", () => {
    fc.assert(fc.property(batchArb, fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 3 }), seedArb, (batch, n, k, seed) => {
      const A = randn([...batch, n, n], seed).add(eyeN(n).mul(n));
      const B = randn([...batch, n, k], seed + 1);
      expect(relErr(st.matmul(A, st.linalg.solve(A, B)), B)).toBeLessThan(1e-12);
      expect(st.matmul(st.linalg.inv(A), A).sub(eyeN(n)).abs().max().item()).toBeLessThan(1e-12);
    }), { numRuns: 40 });
  });

  it("float32 inputs solve to float32 accuracy (float64 inside)", () => {
    const A = randn([4, 5, 5], 3, "float32").add(eyeN(5, "float32").mul(5));
    const B = randn([4, 5, 2], 4, "float32");
    const X = st.linalg.solve(A, B);
    expect(X.dtype).toBe("float32");
    expect(relErr(st.matmul(A.double(), X.double()), B.double())).toBeLessThan(1e-6);
  });

  it("exact results on small integer matrices", () => {
    expect(st.linalg.solve(st.tensor([[3, 1], [1, 2]], f64), st.tensor([9, 8], f64)).toArray()).toEqual([2, 3]);
    expect(st.linalg.det(st.tensor([[1, 2], [3, 4]], f64)).item()).toBe(-2);
    expect(st.linalg.det(st.tensor([[2, 0, 0], [0, 3, 0], [0, 0, 4]], f64)).item()).toBe(24);
    expect(Math.abs(st.linalg.det(st.tensor([[1, 2], [2, 4]], f64)).item())).toBe(0); // −0 after a row swap, as LAPACK
    expect(st.linalg.inv(st.tensor([[2, 0], [0, 4]], f64)).toArray()).toEqual([[0.5, 0], [0, 0.25]]);
    const { sign, logabsdet } = st.linalg.slogdet(st.tensor([[[0, 2], [3, 0]], [[1, 2], [2, 4]]], f64));
    expect(sign.toArray()).toEqual([-1, 0]);
    expect(logabsdet.toArray()).toEqual([Math.log(6), -Infinity]);
  });

  it("det(AB) = det A · det B, and det = sign·exp(logabsdet) where |det| would overflow", () => {
    const A = randn([3, 4, 4], 5), B = randn([3, 4, 4], 6);
    expectClose(st.linalg.det(st.matmul(A, B)), st.linalg.det(A).mul(st.linalg.det(B)), { rtol: 1e-12, atol: 1e-12 });
    const big = eyeN(200).mul(100); // det = 10⁴⁰⁰ overflows float64, its log does not
    const s = st.linalg.slogdet(big);
    expect(s.sign.item()).toBe(1);
    expectClose(s.logabsdet.item(), 200 * Math.log(100), { rtol: 1e-14, atol: 0 });
    expect(st.linalg.det(big).item()).toBe(Infinity);
  });

  it("solveTriangular agrees with solve on triangular systems, and reads only its triangle", () => {
    const T = st.triu(randn([2, 4, 4], 7)).add(eyeN(4).mul(3));
    const B = randn([2, 4, 3], 8);
    expectClose(st.linalg.solveTriangular(T, B, { upper: true }), st.linalg.solve(T, B), { rtol: 1e-12, atol: 1e-12 });
    const noisy = T.add(st.tril(randn([2, 4, 4], 9), -1)); // junk below the diagonal is ignored
    expectClose(st.linalg.solveTriangular(noisy, B, { upper: true }), st.linalg.solve(T, B), { rtol: 1e-12, atol: 1e-12 });
  });
});

describe("cholesky", () => {
  it("L is lower with a positive diagonal and L·Lᵀ = A (upper: Uᵀ·U = A)", () => {
    fc.assert(fc.property(batchArb, fc.integer({ min: 1, max: 6 }), seedArb, (batch, n, seed) => {
      const M = randn([...batch, n, n], seed);
      const A = st.matmul(M, mT(M)).add(eyeN(n));
      const L = st.linalg.cholesky(A);
      expect(L.sub(st.tril(L)).abs().max().item()).toBe(0);
      expect(L.mul(eyeN(n)).sum(-1).min().item()).toBeGreaterThan(0);
      expect(relErr(st.matmul(L, mT(L)), A)).toBeLessThan(1e-13);
      const U = st.linalg.cholesky(A, { upper: true });
      expect(relErr(st.matmul(mT(U), U), A)).toBeLessThan(1e-13);
    }), { numRuns: 30 });
  });

  it("exact on a small integer matrix", () => {
    expect(st.linalg.cholesky(st.tensor([[4, 2], [2, 5]], f64)).toArray()).toEqual([[2, 0], [1, 2]]);
  });
});

describe("qr", () => {
  it("Q has orthonormal columns, R is upper triangular and Q·R = A (reduced and complete, tall and wide)", () => {
    fc.assert(fc.property(batchArb, fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.boolean(), seedArb, (batch, m, n, complete, seed) => {
      const A = randn([...batch, m, n], seed);
      const { Q, R } = st.linalg.qr(A, { mode: complete ? "complete" : "reduced" });
      const kq = complete ? m : Math.min(m, n);
      expect(Q.shape).toEqual([...batch, m, kq]);
      expect(R.shape).toEqual([...batch, kq, n]);
      expect(st.matmul(mT(Q), Q).sub(eyeN(kq)).abs().max().item()).toBeLessThan(1e-14);
      expect(R.sub(st.triu(R)).abs().max().item()).toBe(0);
      expect(relErr(st.matmul(Q, R), A)).toBeLessThan(1e-14);
    }), { numRuns: 40 });
  });

  it('mode "r" returns R alone (an empty Q), equal to the reduced R', () => {
    const A = randn([5, 3], 11);
    const { Q, R } = st.linalg.qr(A, { mode: "r" });
    expect(Q.shape).toEqual([0]);
    expect(R.toArray()).toEqual(st.linalg.qr(A).R.toArray());
  });
});

describe("eigh", () => {
  it("V·diag(w)·Vᵀ = A, VᵀV = I, w ascending (float64 to 1e-12)", () => {
    fc.assert(fc.property(batchArb, fc.integer({ min: 1, max: 7 }), seedArb, (batch, n, seed) => {
      const M = randn([...batch, n, n], seed);
      const A = M.add(mT(M));
      const { eigenvalues: w, eigenvectors: V } = st.linalg.eigh(A);
      expect(relErr(st.matmul(V.mul(w.unsqueeze(-2)), mT(V)), A)).toBeLessThan(1e-12);
      expect(st.matmul(mT(V), V).sub(eyeN(n)).abs().max().item()).toBeLessThan(1e-13);
      const flat = w.reshape(-1, n).toArray() as number[][];
      for (const row of flat) for (let i = 1; i < n; i++) expect(row[i]!).toBeGreaterThanOrEqual(row[i - 1]!);
    }), { numRuns: 30 });
  });

  it('reads only the triangle UPLO names, and det = Π eigenvalues', () => {
    const M = randn([4, 4], 12);
    const A = M.add(mT(M));
    const junkUpper = st.tril(A).add(st.triu(randn([4, 4], 13), 1));
    const junkLower = st.triu(A).add(st.tril(randn([4, 4], 14), -1));
    expectClose(st.linalg.eigvalsh(junkUpper), st.linalg.eigvalsh(A), { rtol: 1e-13, atol: 1e-13 });
    expectClose(st.linalg.eigvalsh(junkLower, { UPLO: "U" }), st.linalg.eigvalsh(A), { rtol: 1e-13, atol: 1e-13 });
    expectClose(st.linalg.eigvalsh(A).prod(), st.linalg.det(A), { rtol: 1e-12, atol: 1e-12 });
    expect(st.linalg.eigh(st.tensor([[2, 1], [1, 2]], f64)).eigenvalues.toArray()).toEqual([1, 3]);
  });
});

describe("svd of batches", () => {
  it("each matrix of a batch factors as on its own, with U·diag(S)·Vh = A", () => {
    const A = randn([2, 3, 5, 4], 15);
    const { U, S, Vh } = st.linalg.svd(A);
    expect([U.shape, S.shape, Vh.shape]).toEqual([[2, 3, 5, 4], [2, 3, 4], [2, 3, 4, 4]]);
    expect(relErr(st.matmul(U.mul(S.unsqueeze(-2)), Vh), A)).toBeLessThan(1e-13);
    const one = st.linalg.svd(A.index(1, 2));
    expect(S.index(1, 2).toArray()).toEqual(one.S.toArray());
    expectClose(st.linalg.svdvals(A), S, { rtol: 0, atol: 0 });
  });
});

describe("svd with fullMatrices", () => {
  it("completes U (m > n) or Vh (m < n) to orthogonal matrices; the thin parts are unchanged", () => {
    for (const [m, n] of [[5, 3], [3, 5], [4, 4]] as const) {
      const A = randn([2, m, n], 22 + m);
      const thin = st.linalg.svd(A);
      const { U, S, Vh } = st.linalg.svd(A, { fullMatrices: true });
      expect(U.shape).toEqual([2, m, m]);
      expect(Vh.shape).toEqual([2, n, n]);
      expect(st.matmul(mT(U), U).sub(eyeN(m)).abs().max().item()).toBeLessThan(1e-14);
      expect(st.matmul(Vh, mT(Vh)).sub(eyeN(n)).abs().max().item()).toBeLessThan(1e-14);
      const k = Math.min(m, n);
      expect(U.index(null, null, [0, k]).toArray()).toEqual(thin.U.toArray());
      expect(Vh.index(null, [0, k]).toArray()).toEqual(thin.Vh.toArray());
      expect(S.toArray()).toEqual(thin.S.toArray());
    }
  });
});

describe("pinv", () => {
  /** The four Moore–Penrose conditions: AXA = A, XAX = X, (AX)ᵀ = AX, (XA)ᵀ = XA. */
  function expectPenrose(A: Tensor, X: Tensor, tol: number) {
    expect(relErr(st.matmul(st.matmul(A, X), A), A)).toBeLessThan(tol);
    expect(relErr(st.matmul(st.matmul(X, A), X), X)).toBeLessThan(tol);
    const AX = st.matmul(A, X), XA = st.matmul(X, A);
    expect(relErr(mT(AX), AX)).toBeLessThan(tol);
    expect(relErr(mT(XA), XA)).toBeLessThan(tol);
  }

  it("satisfies the Moore–Penrose conditions for full-rank and rank-deficient batches", () => {
    fc.assert(fc.property(batchArb, fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), seedArb, (batch, m, n, r, seed) => {
      const A = st.matmul(randn([...batch, m, r], seed), randn([...batch, r, n], seed + 1)); // rank ≤ r
      expectPenrose(A, st.linalg.pinv(A), 1e-11);
      expect((st.linalg.matrixRank(A).reshape(-1).toArray() as number[]).every((k) => k === Math.min(m, n, r))).toBe(true);
    }), { numRuns: 40 });
  });

  it("hermitian: the eigh path gives the same pseudo-inverse of a singular symmetric matrix", () => {
    const v = randn([4, 2], 16);
    const A = st.matmul(v, mT(v)); // rank 2, symmetric PSD
    expectClose(st.linalg.pinv(A, { hermitian: true }), st.linalg.pinv(A), { rtol: 1e-10, atol: 1e-12 });
    expectPenrose(A, st.linalg.pinv(A, { hermitian: true }), 1e-11);
  });

  it("atol / rtol cut small singular values as PyTorch: σ kept iff σ > max(atol, rtol·σ_max)", () => {
    const A = st.tensor([[4, 0], [0, 1e-3]], f64);
    expect(st.linalg.pinv(A).toArray()).toEqual([[0.25, 0], [0, 1000]]);
    expect(st.linalg.pinv(A, { atol: 1e-2 }).toArray()).toEqual([[0.25, 0], [0, 0]]);
    expect(st.linalg.pinv(A, { rtol: 1e-3 }).toArray()).toEqual([[0.25, 0], [0, 0]]);
    expect(st.linalg.pinv(A, { rcond: 1e-4 }).toArray()).toEqual([[0.25, 0], [0, 1000]]);
  });
});

describe("norms, cond, products", () => {
  const A = st.tensor([[1, -2], [3, 4]], f64);
  it("matrixNorm's orders on a known matrix", () => {
    expect(st.linalg.matrixNorm(A).item()).toBeCloseTo(Math.sqrt(30), 14);
    expect(st.linalg.matrixNorm(A, 1).item()).toBe(6);
    expect(st.linalg.matrixNorm(A, -1).item()).toBe(4);
    expect(st.linalg.matrixNorm(A, Infinity).item()).toBe(7);
    expect(st.linalg.matrixNorm(A, -Infinity).item()).toBe(3);
    const s = st.linalg.svdvals(A).toArray() as number[];
    expect(st.linalg.matrixNorm(A, 2).item()).toBe(s[0]);
    expect(st.linalg.matrixNorm(A, -2).item()).toBe(s[1]);
    expect(st.linalg.matrixNorm(A, "nuc").item()).toBeCloseTo(s[0]! + s[1]!, 14);
    expect(st.linalg.matrixNorm(randn([2, 3, 4], 17), "fro", { dim: [0, 2], keepdim: true }).shape).toEqual([1, 3, 1]);
  });

  it("linalg.norm follows torch.linalg.norm: matrix norms for an ord on 2-D input or two dims, vector norms otherwise", () => {
    const D = st.tensor([[3, 0], [0, 4]], f64);
    expect(st.linalg.norm(D).item()).toBe(5);
    expect(st.linalg.norm(D, 2).item()).toBe(4);
    expect(st.linalg.norm(D, "nuc").item()).toBe(7);
    expect(st.linalg.norm(D, "inf").item()).toBe(4);
    expect(st.linalg.norm(D, 1).item()).toBe(4);
    expect(st.linalg.norm(D, 2, 1).toArray()).toEqual([3, 4]);
    const B = randn([2, 3, 4], 23);
    expectClose(st.linalg.norm(B, -2, [0, 2], true), st.linalg.matrixNorm(B, -2, { dim: [0, 2], keepdim: true }), { rtol: 0, atol: 0 });
    expect(st.linalg.norm(st.tensor([3, 4], f64), 1).item()).toBe(7);
    expect(() => st.linalg.norm(st.tensor([3, 4], f64), "nuc")).toThrow(st.ValueError);
  });

  it("cond: σ_max/σ_min, and ‖A‖·‖A⁻¹‖ for the other orders", () => {
    expect(st.linalg.cond(st.tensor([[1, 0], [0, 1e-3]], f64)).item()).toBeCloseTo(1000, 9);
    expect(st.linalg.cond(st.tensor([[1, 0], [0, 1e-3]], f64), -2).item()).toBeCloseTo(1e-3, 15);
    expectClose(st.linalg.cond(A, 1), st.linalg.matrixNorm(A, 1).mul(st.linalg.matrixNorm(st.linalg.inv(A), 1)), { rtol: 1e-15, atol: 0 });
    expect(st.linalg.cond(st.tensor([[1, 2], [2, 4]], f64)).item()).toBe(Infinity);
    // other orders of a singular matrix: Infinity too (as PyTorch), per batch element
    const batch = st.stack([A, st.tensor([[1, 2], [2, 4]], f64)]);
    const c1 = st.linalg.cond(batch, 1).toArray() as number[];
    expect(c1[0]).toBeCloseTo(st.linalg.cond(A, 1).item(), 14);
    expect(c1[1]).toBe(Infinity);
  });

  it("method forms: det, inverse, pinverse, slogdet, matrixPower", () => {
    const M = st.tensor([[4, 7], [2, 6]], f64);
    expect(M.det().item()).toBeCloseTo(10, 13);
    expectClose(M.inverse(), st.linalg.inv(M), { rtol: 0, atol: 0 });
    expectClose(M.pinverse(), st.linalg.inv(M), { rtol: 1e-14, atol: 1e-15 });
    expect(M.slogdet().logabsdet.item()).toBeCloseTo(Math.log(10), 14);
    expect(M.matrixPower(2).toArray()).toEqual([[30, 70], [20, 50]]);
  });

  it("matrixPower, multiDot and vecdot", () => {
    const J = st.tensor([[1, 1], [0, 1]], f64);
    expect(st.linalg.matrixPower(J, 5).toArray()).toEqual([[1, 5], [0, 1]]);
    expect(st.linalg.matrixPower(J, 0).toArray()).toEqual([[1, 0], [0, 1]]);
    expect(st.linalg.matrixPower(J, -3).toArray()).toEqual([[1, -3], [0, 1]]);
    const a = randn([3], 18), B = randn([3, 7], 19), C = randn([7, 2], 20), d = randn([2], 21);
    expectClose(st.linalg.multiDot([a, B, C, d]), st.matmul(st.matmul(st.matmul(a, B), C), d), { rtol: 1e-13, atol: 1e-13 });
    expect(st.linalg.multiDot([B, C]).shape).toEqual([3, 2]);
    expect(st.linalg.vecdot(st.tensor([[1, 2], [3, 4]]), st.tensor([1, 1])).toArray()).toEqual([3, 7]);
  });
});
