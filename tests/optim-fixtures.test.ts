// Optimizers and learning-rate schedules against PyTorch: every case of tests/fixtures/optimizers.json
// (25-step float64 trajectories on a least-squares problem, incl. parameter groups) and of
// tests/fixtures/schedules.json (the lr after construction and after each step); on every backend.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { expectClose } from "./helpers/close.js";
import { loadFixtures } from "./helpers/fixtures.js";
import { describeOnBackends } from "./helpers/backends.js";

/**
 * Both sides run in float64, but PyTorch's kernels may fuse a multiply-add or round a pow
 * differently, and 25 steps amplify a last-bit difference a little (the worst case measured is
 * 2e-13 relative, in Adam): 1e-11 keeps a 50× margin and is far below any real discrepancy — a
 * wrong constant or formula (e.g. PyTorch 1.x's NAdam bug) shows up at 1e-4 or more.
 */
const TOL = { rtol: 1e-11, atol: 1e-12 };

interface OptCase {
  name: string;
  optimizer: string;
  options: Record<string, unknown>;
  groups?: ({ params: string[] } & Record<string, unknown>)[];
  X: Tensor;
  Y: Tensor;
  initial: { w: Tensor; b: Tensor };
  losses: number[];
  trajectory: { w: Tensor; b: Tensor }[];
}

type AnyOptimizerCtor = new (params: unknown, options: Record<string, unknown>) => st.optim.Optimizer;

function makeOptimizer(c: OptCase, w: Tensor, b: Tensor): st.optim.Optimizer {
  const Ctor = (st.optim as unknown as Record<string, AnyOptimizerCtor>)[c.optimizer];
  if (Ctor === undefined) throw new Error(`no optimizer ${c.optimizer}`);
  const byName: Record<string, Tensor> = { w, b };
  const params = c.groups === undefined ? [w, b] : c.groups.map((g) => ({ ...g, params: g.params.map((n) => byName[n]!) }));
  return new Ctor(params, c.options);
}

const optFixtures = loadFixtures<OptCase>("optimizers");

describeOnBackends("optimizers match PyTorch trajectories (optimizers.json, float64)", () => {
  it("covers every optimizer of the brief", () => {
    const names = new Set(optFixtures.cases.map((c) => c.optimizer));
    expect([...names].sort()).toEqual(["Adadelta", "Adagrad", "Adam", "AdamW", "Adamax", "NAdam", "RMSprop", "SGD"]);
  });

  for (const c of optFixtures.cases) {
    it(c.name, () => {
      const w = c.initial.w.clone().requiresGrad_();
      const b = c.initial.b.clone().requiresGrad_();
      expect(w.dtype).toBe("float64");
      const opt = makeOptimizer(c, w, b);
      expect(c.trajectory.length).toBe(25);
      c.trajectory.forEach((expected, k) => {
        opt.zeroGrad();
        const loss = c.X.matmul(w.T).add(b).sub(c.Y).square().mean();
        loss.backward();
        opt.step();
        expectClose(loss.item(), c.losses[k]!, { ...TOL, message: `${c.name} loss before step ${k + 1}` });
        expectClose(w, expected.w, { ...TOL, message: `${c.name} w after step ${k + 1}` });
        expectClose(b, expected.b, { ...TOL, message: `${c.name} b after step ${k + 1}` });
      });
    });
  }
});

interface SchedSpec {
  scheduler: string;
  options: Record<string, unknown>;
}

interface SchedCase extends SchedSpec {
  name: string;
  optimizer: { optimizer: string; options: { lr: number; momentum: number } };
  baseLr: number;
  metrics?: number[];
  steps: number;
  lrs: number[];
}

type AnySchedulerCtor = new (opt: st.optim.Optimizer, options: Record<string, unknown>) => { step(m?: number): void };

function makeScheduler(opt: st.optim.Optimizer, spec: SchedSpec): { step(m?: number): void } {
  const S = st.optim.lrScheduler;
  if (spec.scheduler === "SequentialLR") {
    const children = (spec.options.schedulers as SchedSpec[]).map((ch) => makeScheduler(opt, ch) as st.optim.lrScheduler.LRScheduler);
    return new S.SequentialLR(opt, { schedulers: children, milestones: spec.options.milestones as number[] });
  }
  if (spec.scheduler === "ChainedScheduler") {
    return new S.ChainedScheduler((spec.options.schedulers as SchedSpec[]).map((ch) => makeScheduler(opt, ch) as st.optim.lrScheduler.LRScheduler));
  }
  const Ctor = (S as unknown as Record<string, AnySchedulerCtor>)[spec.scheduler];
  if (Ctor === undefined) throw new Error(`no scheduler ${spec.scheduler}`);
  return new Ctor(opt, spec.options);
}

const schedFixtures = loadFixtures<SchedCase>("schedules");

describeOnBackends("learning-rate schedules match PyTorch (schedules.json)", () => {
  for (const c of schedFixtures.cases) {
    it(c.name, () => {
      const p = st.zeros([2], { requiresGrad: true });
      const opt = new st.optim.SGD([p], c.optimizer.options);
      const sched = makeScheduler(opt, c);
      const lrs = [opt.paramGroups[0]!.lr as number];
      for (let i = 0; i < c.steps; i++) {
        opt.step();
        if (c.metrics !== undefined) sched.step(c.metrics[i]!);
        else sched.step();
        lrs.push(opt.paramGroups[0]!.lr as number);
      }
      expect(lrs.length).toBe(c.lrs.length);
      expectClose(lrs, c.lrs, { rtol: 1e-12, atol: 1e-15, message: c.name });
    });
  }

  it("OneCycleLR also cycles the momentum, inversely to the lr (0.95 → 0.85 at the peak → 0.95)", () => {
    const p = st.zeros([2], { requiresGrad: true });
    const opt = new st.optim.SGD([p], { lr: 0.1, momentum: 0.9 });
    const sched = new st.optim.lrScheduler.OneCycleLR(opt, { maxLr: 0.5, totalSteps: 50 });
    const momenta = [opt.paramGroups[0]!.momentum];
    for (let i = 0; i < 49; i++) {
      opt.step();
      sched.step();
      momenta.push(opt.paramGroups[0]!.momentum);
    }
    expectClose(momenta[0]!, 0.95, { rtol: 1e-15, atol: 1e-15 });
    expectClose(momenta[14]!, 0.85, { rtol: 1e-12, atol: 1e-12 }); // end of phase 1: pctStart·50 − 1 = 14
    expectClose(momenta[49]!, 0.95, { rtol: 1e-12, atol: 1e-12 });
    expect(Math.min(...momenta)).toBeCloseTo(0.85, 12);
  });
});
