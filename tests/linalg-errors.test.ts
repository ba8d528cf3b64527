// Bad input to st.linalg gets a typed error whose message names the op, the batch element and
// what was expected: singular matrices (solve, inv, solveTriangular), non-positive-definite input
// (cholesky, with the minor's order), non-square and mismatched shapes, non-finite values, bad
// options, and the backward PyTorch refuses (QR, complete mode, m > n).

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";

const f64 = { dtype: "float64" as const };
/** A batch of two 3×3 matrices whose second is singular at pivot 3. */
const secondSingular = () => st.tensor([
  [[2, 0, 0], [0, 3, 0], [0, 0, 4]],
  [[1, 2, 3], [2, 4, 6], [1, 1, 1]],
], f64);

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a throw");
}

describe("singular matrices", () => {
  it("inv names the op, the batch element and the zero pivot (LinAlgError, a SteadyError)", () => {
    const e = thrown(() => st.linalg.inv(secondSingular()));
    expect(e).toBeInstanceOf(st.LinAlgError);
    expect(e).toBeInstanceOf(st.SteadyError);
    expect(e.message).toMatch(/^linalg\.inv: \(batch element 1\): The diagonal element 3 of the LU factorization is zero/);
    expect(e.message).toContain("singular");
  });

  it("solve says which batch element after broadcasting; a single matrix gets no batch prefix", () => {
    const e = thrown(() => st.linalg.solve(secondSingular(), st.ones([3, 1], f64)));
    expect(e).toBeInstanceOf(st.LinAlgError);
    expect(e.message).toMatch(/^linalg\.solve: \(batch element 1\): The diagonal element 3/);
    const one = thrown(() => st.linalg.solve(st.tensor([[1, 2], [2, 4]], f64), st.ones([2], f64)));
    expect(one.message).toMatch(/^linalg\.solve: The diagonal element 2 of the LU factorization is zero/);
  });

  it("solveTriangular with a zero on the diagonal", () => {
    const e = thrown(() => st.linalg.solveTriangular(st.tensor([[1, 0], [5, 0]], f64), st.ones([2, 1], f64), { upper: false }));
    expect(e).toBeInstanceOf(st.LinAlgError);
    expect(e.message).toContain("diagonal element 2 is zero");
  });

  it("det and slogdet of a singular matrix are 0 and (0, −Infinity), as PyTorch — no error", () => {
    expect(st.linalg.det(secondSingular()).abs().toArray()).toEqual([24, 0]);
    const { sign, logabsdet } = st.linalg.slogdet(secondSingular());
    expect(sign.toArray()).toEqual([1, 0]);
    expect(logabsdet.index(1).item()).toBe(-Infinity);
  });

  it("the gradient of det at a singular matrix is its cofactor matrix (from the SVD, as PyTorch), not an error or NaN", () => {
    const A = st.tensor([[[1, 2], [2, 4]], [[2, 1], [1, 3]]], { dtype: "float64", requiresGrad: true });
    st.linalg.det(A).sum().backward();
    // cof([[a, b], [c, d]]) = [[d, −c], [−b, a]]
    const g = A.grad!.toArray() as number[][][];
    [[[4, -2], [-2, 1]], [[3, -1], [-1, 2]]].forEach((want, b) => want.forEach((row, i) => row.forEach((v, j) => expect(g[b]![i]![j]!).toBeCloseTo(v, 13))));
    const B = st.tensor([[1, 2, 3], [2, 4, 6], [1, 1, 1]], { dtype: "float64", requiresGrad: true }); // rank 2
    st.linalg.det(B).backward();
    const cof = [[4 - 6, -(2 - 6), 2 - 4], [-(2 - 3), 1 - 3, -(1 - 2)], [12 - 12, -(6 - 6), 4 - 4]];
    (B.grad!.toArray() as number[][]).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(cof[i]![j]!, 13)));
  });
});

describe("non-positive-definite input to cholesky", () => {
  it("names the batch element and the order of the leading minor", () => {
    const A = st.tensor([
      [[4, 0, 0], [0, 4, 0], [0, 0, 4]],
      [[4, 2, 0], [2, 5, 0], [0, 0, 4]],
      [[1, 2, 0], [2, 1, 0], [0, 0, 1]],
    ], f64);
    const e = thrown(() => st.linalg.cholesky(A));
    expect(e).toBeInstanceOf(st.LinAlgError);
    expect(e.message).toBe(
      "linalg.cholesky: (batch element 2): The factorization could not be completed because the input is not positive-definite " +
        "(the leading minor of order 2 is not positive-definite)",
    );
    expect(thrown(() => st.linalg.cholesky(st.tensor([[-1]], f64))).message).toContain("minor of order 1");
  });
});

describe("shapes", () => {
  it("non-square input is a ShapeError naming the shape", () => {
    const A = st.ones([2, 3, 4], f64);
    for (const f of [() => st.linalg.inv(A), () => st.linalg.det(A), () => st.linalg.slogdet(A), () => st.linalg.cholesky(A), () => st.linalg.eigh(A), () => st.linalg.solve(A, st.ones([2, 3, 1], f64)), () => st.linalg.matrixPower(A, 2)]) {
      const e = thrown(f);
      expect(e).toBeInstanceOf(st.ShapeError);
      expect(e.message).toMatch(/^linalg\.\w+: A must be a batch of square matrices \(got shape \[2, 3, 4\]/);
    }
    expect(thrown(() => st.linalg.inv(st.ones([3], f64)))).toBeInstanceOf(st.ShapeError);
    expect(thrown(() => st.linalg.qr(st.ones([3], f64)))).toBeInstanceOf(st.ShapeError);
    expect(thrown(() => st.linalg.svd(st.ones([3], f64)))).toBeInstanceOf(st.ShapeError);
  });

  it("batch dims that do not broadcast, and a B whose rows do not match A", () => {
    const e = thrown(() => st.linalg.solve(st.ones([2, 3, 3], f64), st.ones([4, 3, 1], f64)));
    expect(e).toBeInstanceOf(st.ShapeError);
    expect(e.message).toBe(
      "linalg.solve: the batch dims [2] of A (shape [2, 3, 3]) and [4] of B (shape [4, 3, 1]) cannot be broadcast together (expected equal sizes or one of them 1)",
    );
    expect(thrown(() => st.linalg.solve(st.eye(3, 3, f64), st.ones([4, 2], f64))).message).toContain("needs B of shape (*, 3, k) or (*, 3)");
    expect(thrown(() => st.linalg.lstsq(st.ones([5, 2], f64), st.ones([4], f64)))).toBeInstanceOf(st.ShapeError);
    expect(thrown(() => st.linalg.multiDot([st.ones([2, 3]), st.ones([4, 2])])).message).toContain("does not chain");
  });
});

describe("values and options", () => {
  it("NaN or Infinity in a matrix is a NonFiniteError, not a NaN result", () => {
    expect(() => st.linalg.solve(st.tensor([[1, NaN], [0, 1]], f64), st.ones([2], f64))).toThrow(st.NonFiniteError);
    expect(() => st.linalg.cholesky(st.tensor([[Infinity]], f64))).toThrow(st.NonFiniteError);
    expect(() => st.linalg.qr(st.tensor([[1, 2], [NaN, 1]], f64))).toThrow(st.NonFiniteError);
  });

  it("bad options are ValueErrors", () => {
    const A = st.eye(2, 2, f64);
    // @ts-expect-error upper is required, as in PyTorch
    expect(() => st.linalg.solveTriangular(A, A, {})).toThrow(st.ValueError);
    // @ts-expect-error not a mode
    expect(() => st.linalg.qr(A, { mode: "full" })).toThrow(st.ValueError);
    // @ts-expect-error not a UPLO
    expect(() => st.linalg.eigh(A, { UPLO: "X" })).toThrow(st.ValueError);
    expect(() => st.linalg.matrixNorm(A, 3)).toThrow(st.ValueError);
    expect(() => st.linalg.pinv(A, { atol: -1 })).toThrow(st.ValueError);
    expect(() => st.linalg.pinv(A, { rtol: 1e-3, rcond: 1e-3 })).toThrow(st.ValueError);
    expect(() => st.linalg.matrixPower(A, 1.5)).toThrow(st.ValueError);
  });

  it('QR in mode "complete" with m > n is not differentiable (AutogradError, as PyTorch)', () => {
    const A = st.randn([4, 2], { dtype: "float64", requiresGrad: true });
    const { Q } = st.linalg.qr(A, { mode: "complete" });
    expect(() => Q.sum().backward()).toThrow(st.AutogradError);
  });

  it("integer input computes in float32", () => {
    expect(st.linalg.inv(st.tensor([[2, 0], [0, 4]])).dtype).toBe("float32");
    expect(st.linalg.det(st.tensor([[2, 1], [1, 2]])).item()).toBe(3);
  });
});
