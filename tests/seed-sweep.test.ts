// seedSweep: mean, spread and divergence rate per configuration, with a recipe that diverges for
// one init scale only (a two-factor linear model y = a·b·x whose curvature grows with init²).

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { ValueError } from "../src/index.js";
import { seedSweep, type SweepConfig } from "../src/stability/seed-sweep.js";

/** Trains y = a·b·x (target 2x) by gradient descent at lr 0.05; init scales |a|, |b|. */
function recipe(cfg: SweepConfig): { loss: number; metrics: Record<string, number> } {
  const scale = cfg.init as number;
  const x = st.randn([64, 1]).mul(cfg.inputScale);
  const xin = cfg.inputNoise > 0 ? x.add(st.randn([64, 1]).mul(cfg.inputNoise)) : x;
  const y = x.mul(2);
  const a = st.randn([1]).mul(0.1).add(1).mul(scale).detach().requiresGrad_(true);
  const b = st.randn([1]).mul(0.1).add(1).mul(scale).detach().requiresGrad_(true);
  const opt = new st.optim.SGD([a, b], { lr: 0.05 });
  let loss = NaN;
  for (let i = 0; i < 100; i++) {
    opt.zeroGrad();
    const l = xin.mul(a).mul(b).sub(y).square().mean();
    loss = l.item();
    if (!Number.isFinite(loss)) break;
    l.backward();
    opt.step();
  }
  return { loss, metrics: { ab: a.item() * b.item() } };
}

describe("seedSweep", () => {
  it("flags the init scale that diverges, and only that one", async () => {
    const r = await seedSweep(recipe, { seeds: [0, 1, 2, 3], inits: [1, 10], inputNoise: [0, 0.01] });
    expect(r.configs.map((c) => c.name)).toEqual([
      "init=1 inputScale=1 inputNoise=0", "init=1 inputScale=1 inputNoise=0.01",
      "init=10 inputScale=1 inputNoise=0", "init=10 inputScale=1 inputNoise=0.01",
    ]);
    expect(r.unstable).toEqual(["init=10 inputScale=1 inputNoise=0", "init=10 inputScale=1 inputNoise=0.01"]);
    const good = r.configs[0]!;
    expect(good.divergenceRate).toBe(0);
    expect(good.loss.max).toBeLessThan(1e-6); // noiseless: converges to a·b = 2
    expect(good.metrics.ab!.mean).toBeCloseTo(2, 4);
    expect(good.loss.min).toBeLessThanOrEqual(good.loss.mean);
    const bad = r.configs[2]!;
    expect(bad.diverged).toBe(4);
    expect(bad.divergenceRate).toBe(1);
    expect(bad.reason).toMatch(/^4 of 4 seeds diverged/);
    expect(Number.isNaN(bad.loss.mean)).toBe(true);
    expect(r.report.configs[2]).toEqual({ name: bad.name, finalLosses: bad.finalLosses, diverged: 4 });
    expect(r.summary.split("\n")[2]).toMatch(/^UNSTABLE init=10/);
  });

  it("runs are reproducible per seed (manualSeed before each) and a History's last epoch is used", async () => {
    const seen: number[] = [];
    const r = await seedSweep((cfg) => {
      seen.push(st.rand([1]).item());
      return { history: { loss: [1, 0.5, 0.25 * (cfg.seed + 1)], acc: [0.1, 0.2, 0.3] } };
    }, { seeds: [5, 6, 5] });
    expect(seen[0]).toBe(seen[2]);
    expect(seen[0]).not.toBe(seen[1]);
    const c = r.configs[0]!;
    expect(c.finalLosses).toEqual([1.5, 1.75, 1.5]);
    expect(c.loss.mean).toBeCloseTo(4.75 / 3, 12);
    expect(c.metrics.acc).toEqual({ mean: 0.3, std: 0, min: 0.3, max: 0.3 });
    expect(c.unstable).toBe(false);
  });

  it("flags a large spread across seeds without divergence", async () => {
    const r = await seedSweep((cfg) => (cfg.seed === 0 ? 0.1 : 1), { seeds: [0, 1] });
    expect(r.configs[0]!.unstable).toBe(true);
    expect(r.configs[0]!.reason).toMatch(/std\/mean = 0\.818 > 0\.5/);
  });

  it("rejects bad options and recipe results", async () => {
    await expect(seedSweep(() => 1, { seeds: [] })).rejects.toThrow(/seeds must be a non-empty array/);
    await expect(seedSweep(() => 1, { inputScales: [0] })).rejects.toThrow(ValueError);
    await expect(seedSweep(() => "x" as unknown as number)).rejects.toThrow(/must return a final loss/);
  });
});
