// Sharpness by power iteration on exact Hessian-vector products, checked on quadratics whose
// Hessian eigenvalues are known, and the edge-of-stability check against what gradient descent does
// at learning rates just above and just below 2/λ_max.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { ValueError } from "../src/index.js";
import { edgeOfStability, sharpness } from "../src/stability/sharpness.js";

/** A = Q·diag(eig)·Qᵀ with Q a fixed rotation (so the quadratic is not axis-aligned). */
function spd(eig: number[]): number[][] {
  const [c1, s1, c2, s2] = [Math.cos(0.7), Math.sin(0.7), Math.cos(-1.1), Math.sin(-1.1)];
  const r1 = [[c1, -s1, 0], [s1, c1, 0], [0, 0, 1]];
  const r2 = [[1, 0, 0], [0, c2, -s2], [0, s2, c2]];
  const q = r1.map((row) => [0, 1, 2].map((j) => row.reduce((a, v, k) => a + v * r2[k]![j]!, 0)));
  return [0, 1, 2].map((i) => [0, 1, 2].map((j) => q[i]!.reduce((a, _, k) => a + q[i]![k]! * eig[k]! * q[j]![k]!, 0)));
}

/** f(x) = ½ xᵀAx with x a float64 parameter. */
function quadratic(eig: number[], x0 = [1, -2, 0.5]) {
  const a = st.tensor(spd(eig), { dtype: "float64" });
  const x = st.tensor(x0, { dtype: "float64", requiresGrad: true });
  const loss = () => x.mul(st.matmul(a, x)).sum().mul(0.5);
  return { x, loss };
}

describe("sharpness", () => {
  it.each([[[10, 4, 1]], [[2.5, 1, 0.3]], [[100, 30, 0.01]]])("finds λ_max of a quadratic with eigenvalues %j within 1e-3 relative", (eig) => {
    const { x, loss } = quadratic(eig);
    const r = sharpness(loss, [x], { iters: 50 });
    expect(Math.abs(r.lambdaMax - eig[0]!) / eig[0]!).toBeLessThan(1e-3);
    expect(r.converged).toBe(true);
    expect(r.trace.length).toBe(r.iters);
  });

  it("uses the exact Hessian of a non-quadratic loss (Σ xᵢ⁴ at x = (1, 2): H = diag(12, 48))", () => {
    const x = st.tensor([1, 2], { dtype: "float64", requiresGrad: true });
    const r = sharpness(() => x.pow(4).sum(), [x], { iters: 100, tol: 1e-10 });
    expect(r.lambdaMax).toBeCloseTo(48, 6);
  });

  it("with a preconditioner returns λ_max of P⁻¹H (diag(10, 1) with P = diag(10, 0.1) → 10)", () => {
    const x = st.tensor([1, 1], { dtype: "float64", requiresGrad: true });
    const h = st.tensor([10, 1], { dtype: "float64" });
    const loss = () => x.square().mul(h).sum().mul(0.5);
    const r = sharpness(loss, [x], { preconditioner: [st.tensor([10, 0.1], { dtype: "float64" })], tol: 1e-12, iters: 200 });
    expect(r.lambdaMax).toBeCloseTo(10, 6);
  });

  it("rejects parameters without gradients and a bad iteration count", () => {
    const x = st.tensor([1, 2], { dtype: "float64" });
    expect(() => sharpness(() => x.square().sum(), [x])).toThrow(ValueError);
    expect(() => sharpness(() => x.square().sum(), [x], { iters: 0 })).toThrow(/iters must be a positive integer, got 0/);
  });
});

describe("edgeOfStability", () => {
  const eig = [10, 4, 1];
  const q = quadratic(eig);
  const lam = sharpness(q.loss, [q.x]).lambdaMax;

  function runGD(lr: number, steps: number): { first: number; last: number } {
    const { x, loss } = quadratic(eig);
    const opt = new st.optim.SGD([x], { lr });
    const first = loss().item();
    let last = first;
    for (let i = 0; i < steps; i++) {
      opt.zeroGrad();
      const l = loss();
      l.backward();
      opt.step();
      last = loss().item();
    }
    return { first, last };
  }

  it("gradient descent at 2.02/λ diverges, at 1.98/λ converges, and the check warns only for the first", () => {
    const above = 2.02 / eig[0]!;
    const below = 1.98 / eig[0]!;
    const up = runGD(above, 600);
    const down = runGD(below, 600);
    expect(up.last).toBeGreaterThan(up.first * 100);
    expect(down.last).toBeLessThan(down.first * 1e-6);
    const warnUp = edgeOfStability({ lr: above, lambdaMax: lam });
    const warnDown = edgeOfStability({ lr: below, lambdaMax: lam });
    expect(warnUp.warn).toBe(true);
    expect(warnUp.ratio).toBeCloseTo(1.01, 3);
    expect(warnUp.message).toMatch(/exceeds the stability threshold 2\/η = 9\.901/);
    expect(warnDown.warn).toBe(false);
    expect(warnDown.threshold).toBeCloseTo(2 / below, 10);
  });

  it("Adam's threshold is (2+2β₁)/((1−β₁)η): 38/η for β₁ = 0.9 (Cohen et al. 2022)", () => {
    const r = edgeOfStability({ lr: 1e-3, lambdaMax: 37_000, optimizer: "adam" });
    expect(r.threshold).toBeCloseTo(38_000, 6);
    expect(r.warn).toBe(false);
    expect(edgeOfStability({ lr: 1e-3, lambdaMax: 39_000, optimizer: "adam" }).warn).toBe(true);
    expect(edgeOfStability({ lr: 0.1, lambdaMax: 0, optimizer: "sgd", momentum: 0.9 }).threshold).toBeCloseTo(38, 10);
  });

  it("rejects a non-positive learning rate and a NaN sharpness", () => {
    expect(() => edgeOfStability({ lr: 0, lambdaMax: 1 })).toThrow(/lr must be a positive finite number, got 0/);
    expect(() => edgeOfStability({ lr: 0.1, lambdaMax: NaN })).toThrow(ValueError);
  });
});

describe("adamPreconditioner", () => {
  it("is √v̂ + ε from Adam's state, and gives the preconditioned sharpness", async () => {
    const { adamPreconditioner } = await import("../src/stability/sharpness.js");
    const h = st.tensor([10, 1], { dtype: "float64" });
    const x = st.tensor([1, 1], { dtype: "float64", requiresGrad: true });
    const loss = () => x.square().mul(h).sum().mul(0.5);
    const opt = new st.optim.Adam([x], { lr: 0.01 });
    opt.zeroGrad();
    loss().backward(); // gradient (10, 1)
    opt.step();
    const [p] = adamPreconditioner(opt, [x]);
    // after one step v̂ = g², so P = |g| + ε = (10, 1) + 1e-8
    expect(Array.from(p!.dataSync())).toEqual([10 + 1e-8, 1 + 1e-8]);
    const r = sharpness(loss, [x], { preconditioner: [p!], iters: 100, tol: 1e-12 });
    expect(r.lambdaMax).toBeCloseTo(1, 6); // P⁻¹H = diag(10/10, 1/1)
    expect(() => adamPreconditioner(new st.optim.SGD([x], { lr: 0.1 }), [x])).toThrow(/expected an Adam-family optimizer/);
  });
});
