// Thin SVD and symmetric eigendecomposition (js backend, float64): reconstruction, orthonormality,
// ordering, known exact values, rank deficiency, extreme scales and bad input.

import { describe, expect, it } from "vitest";
import { eighSym, svdThin } from "../src/backend/js/svd.js";
import { Generator } from "../src/core/random.js";
import { NonFiniteError, ShapeError } from "../src/core/errors.js";

const TOL = 1e-10;

function randn(seed: number, len: number): Float64Array {
  return new Generator(seed).normal(new Float64Array(len));
}

/** C = A·B for row-major A (m×k), B (k×n). */
function matmul(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let p = 0; p < k; p++) {
      const x = a[i * k + p]!;
      for (let j = 0; j < n; j++) c[i * n + j] += x * b[p * n + j]!;
    }
  return c;
}

function transpose(a: Float64Array, m: number, n: number): Float64Array {
  const t = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t[j * m + i] = a[i * n + j]!;
  return t;
}

/** Frobenius norm, scaled so 1e300 entries do not overflow. */
function fro(a: Float64Array): number {
  const m = a.reduce((s, v) => Math.max(s, Math.abs(v)), 0);
  return m === 0 ? 0 : m * Math.sqrt(a.reduce((s, v) => s + (v / m) ** 2, 0));
}

/** max |XᵀX − I| for X with `cols` columns (row-major rows×cols). */
function orthoError(x: Float64Array, rows: number, cols: number): number {
  const g = matmul(transpose(x, rows, cols), x, cols, rows, cols);
  let e = 0;
  for (let i = 0; i < cols; i++) for (let j = 0; j < cols; j++) e = Math.max(e, Math.abs(g[i * cols + j]! - (i === j ? 1 : 0)));
  return e;
}

/** Checks A = U·diag(S)·Vh, UᵀU = I, Vh·Vhᵀ = I, S descending and ≥ 0; returns S. */
function checkSvd(a: Float64Array, m: number, n: number): Float64Array {
  const { U, S, Vh } = svdThin(a, m, n);
  const k = Math.min(m, n);
  expect(U.length).toBe(m * k);
  expect(S.length).toBe(k);
  expect(Vh.length).toBe(k * n);
  const us = new Float64Array(m * k);
  for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) us[i * k + j] = U[i * k + j]! * S[j]!;
  const r = matmul(us, Vh, m, k, n);
  const err = fro(r.map((v, i) => v - a[i]!));
  expect(err).toBeLessThanOrEqual(TOL * Math.max(fro(a), Number.MIN_VALUE));
  expect(orthoError(U, m, k)).toBeLessThan(TOL);
  expect(orthoError(transpose(Vh, k, n), n, k)).toBeLessThan(TOL);
  for (let j = 0; j < k; j++) {
    expect(S[j]).toBeGreaterThanOrEqual(0);
    if (j > 0) expect(S[j]).toBeLessThanOrEqual(S[j - 1]!);
  }
  return S;
}

describe("svdThin", () => {
  it.each([
    [50, 30],
    [30, 50],
    [1, 5],
    [5, 1],
    [7, 7],
    [1, 1],
    [64, 2],
  ])("random %i×%i reconstructs with orthonormal factors", (m, n) => {
    checkSvd(randn(m * 100 + n, m * n), m, n);
  });

  it("agrees with the exact singular values of [[3, 0], [4, 5]]: √45 and √5", () => {
    const S = checkSvd(Float64Array.from([3, 0, 4, 5]), 2, 2);
    expect(Math.abs(S[0]! - Math.sqrt(45))).toBeLessThan(1e-14 * Math.sqrt(45));
    expect(Math.abs(S[1]! - Math.sqrt(5))).toBeLessThan(1e-14 * Math.sqrt(5));
  });

  it("sorts a diagonal matrix's |entries| and keeps a tiny one to full relative accuracy", () => {
    const S = checkSvd(Float64Array.from([3, 0, 0, 0, 0, -1e-20, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0]), 4, 4);
    expect([...S]).toEqual([3, 2, 1e-20, 0]);
  });

  it("matches √eig(AᵀA) on a random matrix (cross-check against eighSym)", () => {
    const [m, n] = [12, 8];
    const a = randn(3, m * n);
    const { S } = svdThin(a, m, n);
    const { values } = eighSym(matmul(transpose(a, m, n), a, n, m, n), n);
    for (let j = 0; j < n; j++) expect(Math.abs(S[j]! - Math.sqrt(values[n - 1 - j]!))).toBeLessThan(1e-12 * S[0]!);
  });

  it("rank-deficient 6×4 of rank 2: two zero singular values and U still orthonormal", () => {
    const a = matmul(randn(4, 12), randn(5, 8), 6, 2, 4);
    const S = checkSvd(a, 6, 4);
    expect(S[1]! / S[0]!).toBeGreaterThan(1e-3);
    expect(S[2]!).toBeLessThan(1e-14 * S[0]!);
    expect(S[3]!).toBeLessThan(1e-14 * S[0]!);
    // and the wide orientation
    checkSvd(transpose(a, 6, 4), 4, 6);
  });

  it("zero matrices and zero columns give zero singular values with orthonormal U", () => {
    expect([...checkSvd(new Float64Array(12), 3, 4)]).toEqual([0, 0, 0]);
    expect([...checkSvd(new Float64Array(12), 4, 3)]).toEqual([0, 0, 0]);
    expect([...checkSvd(new Float64Array(5000), 100, 50)].every((v) => v === 0)).toBe(true);
    const a = randn(6, 20);
    for (let i = 0; i < 5; i++) a[i * 4 + 1] = 0; // column 1 of a 5×4 matrix
    const S = checkSvd(a, 5, 4);
    expect(S[3]).toBe(0);
  });

  it("repeated singular values (orthogonal input) are all 1", () => {
    // Q from the SVD of a random matrix is orthogonal; its singular values are all 1.
    const { U } = svdThin(randn(7, 36), 6, 6);
    const S = checkSvd(U, 6, 6);
    for (const s of S) expect(Math.abs(s - 1)).toBeLessThan(1e-13);
  });

  it("extreme scales neither overflow nor underflow", () => {
    const base = randn(8, 20);
    const S0 = svdThin(base, 5, 4).S;
    for (const scale of [1e300, 1e-300, 1e-310]) {
      const S = checkSvd(base.map((v) => v * scale), 5, 4);
      for (let j = 0; j < 4; j++) expect(Math.abs(S[j]! / scale - S0[j]!)).toBeLessThan(1e-10 * S0[0]!);
    }
  });

  it("empty shapes, bad lengths and non-finite input", () => {
    const e = svdThin(new Float64Array(0), 0, 3);
    expect([e.U.length, e.S.length, e.Vh.length]).toEqual([0, 0, 0]);
    expect(svdThin(new Float64Array(0), 4, 0).S.length).toBe(0);
    expect(() => svdThin(new Float64Array(5), 2, 3)).toThrow(ShapeError);
    expect(() => svdThin(new Float64Array(6), -2, -3)).toThrow(ShapeError);
    expect(() => svdThin(Float64Array.from([1, NaN]), 1, 2)).toThrow(NonFiniteError);
    expect(() => svdThin(Float64Array.from([1, Infinity]), 2, 1)).toThrow(NonFiniteError);
  });
});

/** Checks A = V·diag(λ)·Vᵀ, VᵀV = I and λ ascending; returns λ. */
function checkEigh(a: Float64Array, n: number): Float64Array {
  const { values, vectors } = eighSym(a, n);
  const vl = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vl[i * n + j] = vectors[i * n + j]! * values[j]!;
  const r = matmul(vl, transpose(vectors, n, n), n, n, n);
  expect(fro(r.map((v, i) => v - a[i]!))).toBeLessThanOrEqual(TOL * Math.max(fro(a), Number.MIN_VALUE));
  expect(orthoError(vectors, n, n)).toBeLessThan(TOL);
  for (let j = 1; j < n; j++) expect(values[j]).toBeGreaterThanOrEqual(values[j - 1]!);
  return values;
}

function randomSymmetric(seed: number, n: number): Float64Array {
  const b = randn(seed, n * n);
  return b.map((_, t) => (b[t]! + b[(t % n) * n + Math.floor(t / n)]!) / 2);
}

describe("eighSym", () => {
  it.each([1, 2, 7, 30])("random symmetric n = %i reconstructs, values ascending", (n) => {
    checkEigh(randomSymmetric(n, n), n);
  });

  it("known values: [[2, 1], [1, 2]] → 1, 3; indefinite [[0, 1], [1, 0]] → −1, 1", () => {
    const v = checkEigh(Float64Array.from([2, 1, 1, 2]), 2);
    expect(Math.abs(v[0]! - 1)).toBeLessThan(1e-15);
    expect(Math.abs(v[1]! - 3)).toBeLessThan(1e-15);
    const w = checkEigh(Float64Array.from([0, 1, 1, 0]), 2);
    expect(Math.abs(w[0]! + 1)).toBeLessThan(1e-15);
    expect(Math.abs(w[1]! - 1)).toBeLessThan(1e-15);
  });

  it("degenerate, rank-deficient and zero matrices", () => {
    const eye = new Float64Array(25);
    for (let i = 0; i < 5; i++) eye[i * 6] = 1;
    expect([...checkEigh(eye, 5)]).toEqual([1, 1, 1, 1, 1]);
    expect([...checkEigh(new Float64Array(16), 4)]).toEqual([0, 0, 0, 0]);
    // rank 2: B·Bᵀ with B 6×2
    const b = randn(9, 12);
    const v = checkEigh(matmul(b, transpose(b, 6, 2), 6, 2, 6), 6);
    for (let j = 0; j < 4; j++) expect(Math.abs(v[j]!)).toBeLessThan(1e-14 * v[5]!);
    expect(eighSym(new Float64Array(0), 0).values.length).toBe(0);
  });

  it("graded positive definite matrix keeps its tiny eigenvalue to high relative accuracy", () => {
    // [[1, 1e-11], [1e-11, 1e-20]]: det = 1e-20 − 1e-22, so λ_min = det/λ_max ≈ 9.9e-21.
    const a = Float64Array.from([1, 1e-11, 1e-11, 1e-20]);
    const v = checkEigh(a, 2);
    const lmax = v[1]!;
    const lmin = (1e-20 - 1e-22) / lmax;
    expect(Math.abs(v[0]! - lmin) / lmin).toBeLessThan(1e-12);
  });

  it("reads only the chosen triangle", () => {
    const n = 5;
    const s = randomSymmetric(11, n);
    const lowerOnly = s.slice();
    const upperOnly = s.slice();
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        if (j > i) lowerOnly[i * n + j] = 1e3; // garbage above the diagonal
        if (j < i) upperOnly[i * n + j] = NaN; // garbage below
      }
    const ref = eighSym(s, n).values;
    expect([...eighSym(lowerOnly, n).values]).toEqual([...ref]);
    expect([...eighSym(upperOnly, n, "U").values]).toEqual([...ref]);
    expect(() => eighSym(upperOnly, n)).toThrow(NonFiniteError);
    expect(() => eighSym(new Float64Array(6), 3)).toThrow(ShapeError);
  });
});
