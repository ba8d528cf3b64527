// linalg.lstsq: the learning check of issue 15 — on the diabetes data (442 × 10 raw features plus
// an intercept, cond(X) ≈ 7e3) the SVD least-squares fit equals the normal-equations solution
// (XᵀX)⁻¹Xᵀy, computed here independently in plain float64 JavaScript, to 1e-10 — and the
// fields PyTorch returns (residuals, rank, singular values) for full-rank, rank-deficient,
// under-determined and batched systems.

import { describe, expect, it } from "vitest";
import * as st from "../src/node.js";
import { expectClose } from "./helpers/close.js";

const f64 = { dtype: "float64" as const };

/** Solves the normal equations (XᵀX)w = Xᵀy with Gaussian elimination (partial pivoting) on plain arrays. */
function normalEquations(X: number[][], y: number[]): number[] {
  const p = X[0]!.length;
  const M = Array.from({ length: p }, (_, i) => {
    const row = new Array<number>(p + 1).fill(0);
    for (let j = 0; j < p; j++) for (let r = 0; r < X.length; r++) row[j]! += X[r]![i]! * X[r]![j]!;
    for (let r = 0; r < X.length; r++) row[p]! += X[r]![i]! * y[r]!;
    return row;
  });
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[piv]![c]!)) piv = r;
    [M[c], M[piv]] = [M[piv]!, M[c]!];
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const f = M[r]![c]! / M[c]![c]!;
      for (let k = c; k <= p; k++) M[r]![k]! -= f * M[c]![k]!;
    }
  }
  return M.map((row, i) => row[p]! / row[i]!);
}

describe("lstsq on the diabetes data", () => {
  const { x, y } = st.datasets.loadDiabetes();
  const X = st.cat([x.double(), st.ones([x.shape[0]!, 1], f64)], 1); // features + intercept
  const Y = y.double();

  it("equals the normal-equations solution (XᵀX)⁻¹Xᵀy in float64 to 1e-10", () => {
    const w = st.linalg.lstsq(X, Y).solution;
    const ref = normalEquations(X.toArray() as number[][], Y.toArray() as number[]);
    expect(w.shape).toEqual([11]);
    const got = w.toArray() as number[];
    const worst = Math.max(...got.map((v, i) => Math.abs(v - ref[i]!) / Math.abs(ref[i]!)));
    expect(worst).toBeLessThan(1e-10);
    // and the fit is the familiar one: bmi (index 2) and s5 (index 8) carry the largest weights per unit
    expect(got[2]!).toBeGreaterThan(5);
    expect(got[8]!).toBeGreaterThan(50);
  });

  it("reports full rank 11, the residual sum of squares and the singular values", () => {
    const r = st.linalg.lstsq(X, Y.unsqueeze(1));
    expect(r.rank.item()).toBe(11);
    expect(r.rank.dtype).toBe("int32");
    const resid = Y.unsqueeze(1).sub(X.matmul(r.solution)).square().sum(0);
    expectClose(r.residuals, resid, { rtol: 1e-12, atol: 0 });
    expectClose(r.singularValues, st.linalg.svdvals(X), { rtol: 0, atol: 0 });
    // the in-sample R² of ordinary least squares on these data is ≈ 0.518
    const r2 = 1 - resid.item() / Y.sub(Y.mean()).square().sum().item();
    expect(r2).toBeGreaterThan(0.51);
    expect(r2).toBeLessThan(0.53);
  });
});

describe("lstsq fields and special systems", () => {
  it("accepts PyTorch's driver names (same SVD solution) and refuses others", () => {
    const A = st.tensor([[1, 0], [0, 2], [1, 1]], f64), b = st.tensor([1, 2, 3], f64);
    for (const driver of ["gels", "gelsy", "gelsd", "gelss"] as const) {
      expect(st.linalg.lstsq(A, b, { driver }).solution.toArray()).toEqual(st.linalg.lstsq(A, b).solution.toArray());
    }
    // @ts-expect-error not a driver
    expect(() => st.linalg.lstsq(A, b, { driver: "qr" })).toThrow(st.ValueError);
  });

  it("fits a line exactly (rank 2, zero residual)", () => {
    const X = st.tensor([[0, 1], [1, 1], [2, 1], [3, 1]], f64);
    const r = st.linalg.lstsq(X, st.tensor([1, 3, 5, 7], f64));
    expectClose(r.solution, [2, 1], { rtol: 1e-14, atol: 1e-14 });
    expect(r.residuals.item()).toBeLessThan(1e-28);
  });

  it("rank-deficient: the minimum-norm solution, the rank, and no residuals (as PyTorch)", () => {
    const A = st.tensor([[1, 1], [1, 1], [1, 1]], f64);
    const r = st.linalg.lstsq(A, st.tensor([[2], [2], [2]], f64));
    expectClose(r.solution, [[1], [1]], { rtol: 1e-14, atol: 1e-14 });
    expect(r.rank.item()).toBe(1);
    expect(r.residuals.shape).toEqual([0]);
  });

  it("under-determined (m < n): the minimum-norm exact solution", () => {
    const A = st.randn([2, 4], { dtype: "float64", generator: new st.Generator(3) });
    const b = st.randn([2, 1], { dtype: "float64", generator: new st.Generator(4) });
    const x = st.linalg.lstsq(A, b).solution;
    expectClose(A.matmul(x), b, { rtol: 1e-13, atol: 1e-13 });
    expectClose(x, st.linalg.pinv(A).matmul(b), { rtol: 1e-12, atol: 1e-13 });
  });

  it("broadcasts batch dims and agrees with pinv(A)·B", () => {
    const A = st.randn([3, 6, 2], { dtype: "float64", generator: new st.Generator(5) });
    const B = st.randn([6, 3], { dtype: "float64", generator: new st.Generator(6) });
    const r = st.linalg.lstsq(A, B.unsqueeze(0).expand([3, 6, 3]));
    expect(r.solution.shape).toEqual([3, 2, 3]);
    expect(r.residuals.shape).toEqual([3, 3]);
    expectClose(r.solution, st.linalg.pinv(A).matmul(B), { rtol: 1e-12, atol: 1e-13 });
  });

  it("is differentiable: the gradient of ‖Ax − b‖² at the solution w.r.t. b is 0 in range(A)", () => {
    const A = st.randn([5, 2], { dtype: "float64", generator: new st.Generator(7) });
    const b = A.matmul(st.tensor([[1], [2]], f64)).requiresGrad_(true); // b in range(A)
    const r = st.linalg.lstsq(A, b);
    const g = st.autograd.grad(r.solution.sum(), [b])[0]!;
    expectClose(g, st.linalg.pinv(A).transpose(-2, -1).matmul(st.ones([2, 1], f64)), { rtol: 1e-12, atol: 1e-13 });
  });
});

describe("examples/linear-regression-lstsq.ts", () => {
  it("gradient descent approaches the lstsq optimum: its MSE within 1e-6 (relative) after 3000 steps at 1/L", async () => {
    const { linearRegressionLstsq } = await import("../examples/linear-regression-lstsq.js");
    const r = linearRegressionLstsq({ verbose: false });
    expect(r.condX).toBeGreaterThan(20);
    expect(r.condX).toBeLessThan(25);
    expect(r.mseLstsq).toBeLessThanOrEqual(r.mseGd); // the closed form is the minimum
    expect((r.mseGd - r.mseLstsq) / r.mseLstsq).toBeLessThan(1e-6);
    expect(Math.abs(r.wGd[10]! - r.wLstsq[10]!)).toBeLessThan(1e-6); // the intercept (mean of y) converges first
  }, 60_000);
});
