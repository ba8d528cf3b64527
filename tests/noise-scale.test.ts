// gradientNoiseScale on linear regression with Gaussian inputs and noise, where everything has a
// closed form: per-example loss ½(w·x − y)², y = w*·x + ε, x ~ N(0, I_d), ε ~ N(0, σ²), δ = w − w*:
// G = δ, Σ = (|δ|² + σ²)·I + δδᵀ, so |G|² = |δ|², tr(Σ) = d(|δ|² + σ²) + |δ|².

import { describe, expect, it } from "vitest";
import * as st from "../src/node.js";
import { gradientNoiseScale } from "../src/stability/noise-scale.js";

function regression(n: number, wStar: number[], sigma: number) {
  const d = wStar.length;
  const x = st.randn([n, d]);
  const y = x.matmul(st.tensor(wStar, { dtype: "float32" })).add(st.randn([n]).mul(sigma));
  return { x, y };
}

describe("gradientNoiseScale", () => {
  const wStar = [1, -1, 0.5, 2];
  const sigma = 1.5;
  const delta2 = wStar.reduce((a, v) => a + v * v, 0); // w = 0
  const d = wStar.length;
  const trueTr = d * (delta2 + sigma * sigma) + delta2;
  const trueB = trueTr / delta2;

  it("per-example gradients: B_simple, tr(Σ) and |G|² within 20 % of the closed form", () => {
    st.manualSeed(1);
    const data = regression(3000, wStar, sigma);
    const w = st.zeros([d], { requiresGrad: true });
    const loss = (b: { x: st.Tensor; y?: st.Tensor }) => b.x.matmul(w).sub(b.y!).square().mean().mul(0.5);
    const r = gradientNoiseScale([w], loss, data);
    expect(r.microBatch).toBe(1);
    expect(r.batches).toBe(3000);
    expect(Math.abs(r.bSimple / trueB - 1)).toBeLessThan(0.2);
    expect(Math.abs(r.trSigma / trueTr - 1)).toBeLessThan(0.2);
    expect(Math.abs(r.gNorm2 / delta2 - 1)).toBeLessThan(0.2);
    expect(r.suggestedBatch).toEqual([Math.round(r.bSimple / 2), Math.round(r.bSimple * 2)]);
    expect(w.grad).toBeNull(); // parameters and .grad untouched
  });

  it("micro-batches of 8 from a module and an array of batches give the same quantities", () => {
    st.manualSeed(2);
    const data = regression(4000, wStar, sigma);
    const lin = new st.nn.Linear(d, 1, { bias: false });
    st.noGrad(() => lin.weight.fill_(0));
    const batches: [st.Tensor, st.Tensor][] = [];
    for (let s = 0; s < 4000; s += 8) batches.push([data.x.slice(s, s + 8), data.y.slice(s, s + 8)]);
    const r = gradientNoiseScale(lin, ([x, y]: [st.Tensor, st.Tensor]) => lin.call(x).reshape([-1]).sub(y).square().mean().mul(0.5), batches);
    expect(r.microBatch).toBe(8);
    expect(r.batches).toBe(500);
    expect(Math.abs(r.bSimple / trueB - 1)).toBeLessThan(0.2);
    expect(Math.abs(r.trSigma / trueTr - 1)).toBeLessThan(0.2);
  });

  it("at the optimum with no noise the signal vanishes: |G|² ≈ 0, tr(Σ) ≈ 0", () => {
    st.manualSeed(3);
    const { x } = regression(64, wStar, 0);
    const y = x.matmul(st.tensor(wStar, { dtype: "float32" }));
    const w = st.tensor(wStar, { dtype: "float32", requiresGrad: true });
    const r = gradientNoiseScale([w], (b: { x: st.Tensor; y?: st.Tensor }) => b.x.matmul(w).sub(b.y!).square().mean(), { x, y }, { microBatch: 4 });
    expect(Math.abs(r.gNorm2)).toBeLessThan(1e-9);
    expect(r.trSigma).toBeLessThan(1e-9);
  });

  it("rejects fewer than two micro-batches, a bad microBatch and a non-scalar loss", () => {
    const w = st.zeros([2], { requiresGrad: true });
    const x = st.randn([4, 2]);
    expect(() => gradientNoiseScale([w], (b: { x: st.Tensor }) => b.x.matmul(w).sum(), { x }, { microBatch: 3 })).toThrow(/at least 2 micro-batches .*\(got 1\)/);
    expect(() => gradientNoiseScale([w], (b: { x: st.Tensor }) => b.x.matmul(w).sum(), { x }, { microBatch: 0 })).toThrow(st.ValueError);
    expect(() => gradientNoiseScale([w], (b: { x: st.Tensor }) => b.x.matmul(w), { x }, { microBatch: 2 })).toThrow(/scalar loss/);
  });
});
