// Learning-rate schedules beyond the PyTorch fixtures: linearWarmup, per-element (tensor) learning
// rates, state-dict round trips, resuming with lastEpoch, LambdaLR, MultiStepLR repeats, OneCycleLR
// with Adam's betas, ReduceLROnPlateau details, and the errors of bad options.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { ShapeError, ValueError, type Tensor } from "../src/index.js";
import { expectClose } from "./helpers/close.js";

const S = st.optim.lrScheduler;

function sgd(lr: st.optim.LearningRate = 0.1, momentum = 0.9): st.optim.SGD {
  const shape = lr instanceof st.Tensor ? lr.shape : [2];
  return new st.optim.SGD([st.zeros(shape, { requiresGrad: true })], { lr, momentum });
}

/** The lr of group 0 after construction and after each of `steps` steps. */
function lrSequence(opt: st.optim.Optimizer, sched: { step(): void }, steps: number): number[] {
  const out = [opt.paramGroups[0]!.lr as number];
  for (let i = 0; i < steps; i++) {
    opt.step();
    sched.step();
    out.push(opt.paramGroups[0]!.lr as number);
  }
  return out;
}

describe("linearWarmup", () => {
  it("step k of the first W uses lr·(k+1)/W, then the full lr", () => {
    const opt = sgd(0.2);
    const seq = lrSequence(opt, S.linearWarmup(opt, 4), 8);
    expectClose(seq, [0.05, 0.1, 0.15, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2], { rtol: 1e-15, atol: 1e-17 });
  });

  it("a one-step warm-up is a constant lr; zero steps is a ValueError", () => {
    const opt = sgd(0.2);
    expect(lrSequence(opt, S.linearWarmup(opt, 1), 3)).toEqual([0.2, 0.2, 0.2, 0.2]);
    expect(() => S.linearWarmup(sgd(), 0)).toThrow(/linearWarmup: option warmupSteps must be an integer >= 1 \(got 0\)/);
  });
});

describe("per-element learning rates", () => {
  it("every element of a tensor lr follows the schedule its scalar would (CosineAnnealingLR, StepLR)", () => {
    const lrs = [0.1, 0.02, 0];
    for (const make of [
      (o: st.optim.Optimizer) => new S.CosineAnnealingLR(o, { tMax: 7, etaMin: 0.001 }),
      (o: st.optim.Optimizer) => new S.StepLR(o, { stepSize: 3, gamma: 0.5 }),
    ]) {
      const opt = sgd(st.tensor(lrs, { dtype: "float64" }));
      const sched = make(opt);
      const scalars = lrs.map((lr) => {
        const o = sgd(lr);
        return lrSequence(o, make(o), 12);
      });
      for (let k = 1; k <= 12; k++) {
        opt.step();
        sched.step();
        const lr = opt.paramGroups[0]!.lr as Tensor;
        expectClose(lr, scalars.map((s) => s[k]!), { rtol: 1e-15, atol: 1e-17 });
      }
      expect(sched.getLastLr()[0]).toBe(opt.paramGroups[0]!.lr);
      expect((opt.paramGroups[0]!.initialLr as Tensor).toArray()).toEqual(lrs); // the base is kept
    }
  });

  it("ReduceLROnPlateau cuts each element of a tensor lr, respecting minLr per element", () => {
    const opt = sgd(st.tensor([0.1, 0.015], { dtype: "float64" }));
    const sched = new S.ReduceLROnPlateau(opt, { patience: 0, factor: 0.5, minLr: 0.01 });
    sched.step(1);
    sched.step(1); // no improvement, patience 0 → cut
    expectClose(opt.paramGroups[0]!.lr as Tensor, [0.05, 0.01], { rtol: 1e-15, atol: 1e-15 });
  });

  it("a scheduler's lr keeps working with the optimizer (SGD steps by the scheduled per-element lr)", () => {
    const p = st.ones([2], { dtype: "float64", requiresGrad: true });
    const opt = new st.optim.SGD([p], { lr: st.tensor([0.4, 0.2], { dtype: "float64" }) });
    const sched = new S.ExponentialLR(opt, { gamma: 0.5 });
    sched.step(); // lr = [0.2, 0.1]
    p.sum().backward();
    opt.step();
    expectClose(p, [0.8, 0.9], { rtol: 1e-15, atol: 1e-15 });
  });

  it("mapLr rejects tensors of different sizes", () => {
    expect(() => S.mapLr((a, b) => a + b, st.zeros([2]), st.zeros([3]))).toThrow(ShapeError);
  });
});

describe("state dicts and resuming", () => {
  it("StepLR and CosineAnnealingLR: save after 5 steps, load into a fresh scheduler and optimizer, continue → same lrs", () => {
    for (const make of [
      (o: st.optim.Optimizer) => new S.StepLR(o, { stepSize: 3, gamma: 0.5 }),
      (o: st.optim.Optimizer) => new S.CosineAnnealingLR(o, { tMax: 4 }),
      (o: st.optim.Optimizer) => new S.OneCycleLR(o, { maxLr: 1, totalSteps: 12 }),
    ]) {
      const o1 = sgd();
      const full = lrSequence(o1, make(o1), 10);
      const o2 = sgd();
      const s2 = make(o2);
      lrSequence(o2, s2, 5);
      const optSd = o2.stateDict();
      const schedSd = s2.stateDict();
      expect(schedSd.last_epoch).toBe(5);
      const o3 = sgd(0.7);
      const s3 = make(o3);
      o3.loadStateDict(optSd);
      s3.loadStateDict(schedSd);
      const rest = lrSequence(o3, s3, 5);
      expect(rest).toEqual(full.slice(5));
    }
  });

  it("stateDict uses PyTorch's field names; loading another scheduler's state is a ValueError", () => {
    const sd = new S.CosineAnnealingLR(sgd(), { tMax: 10, etaMin: 0.01 }).stateDict();
    expect(sd).toMatchObject({ T_max: 10, eta_min: 0.01, last_epoch: 0, base_lrs: [0.1], _step_count: 1, _last_lr: [0.1] });
    expect(() => new S.StepLR(sgd(), { stepSize: 2 }).loadStateDict(sd)).toThrow(/StepLR.loadStateDict: unknown entry "T_max"/);
  });

  it("ReduceLROnPlateau: a state-dict round trip continues the same plateau bookkeeping", () => {
    const metrics = [1, 0.9, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8];
    const o1 = sgd();
    const s1 = new S.ReduceLROnPlateau(o1, { patience: 2, cooldown: 1 });
    const full = metrics.map((m) => (s1.step(m), o1.paramGroups[0]!.lr));
    const o2 = sgd();
    const s2 = new S.ReduceLROnPlateau(o2, { patience: 2, cooldown: 1 });
    metrics.slice(0, 4).forEach((m) => s2.step(m));
    const o3 = sgd();
    const s3 = new S.ReduceLROnPlateau(o3, { patience: 2, cooldown: 1 });
    o3.loadStateDict(o2.stateDict());
    s3.loadStateDict(s2.stateDict());
    const rest = metrics.slice(4).map((m) => (s3.step(m), o3.paramGroups[0]!.lr));
    expect(rest).toEqual(full.slice(4));
    expect(full.filter((lr, i) => i > 0 && lr !== full[i - 1]).length).toBeGreaterThan(0); // a cut happened
  });

  it("SequentialLR and ChainedScheduler save and restore their children", () => {
    const make = (o: st.optim.Optimizer) =>
      new S.SequentialLR(o, { schedulers: [new S.LinearLR(o, { startFactor: 0.5, totalIters: 3 }), new S.ExponentialLR(o, { gamma: 0.8 })], milestones: [3] });
    const o1 = sgd();
    const full = lrSequence(o1, make(o1), 8);
    const o2 = sgd();
    const s2 = make(o2);
    lrSequence(o2, s2, 4);
    const o3 = sgd();
    const s3 = make(o3);
    o3.loadStateDict(o2.stateDict());
    s3.loadStateDict(s2.stateDict());
    expect(lrSequence(o3, s3, 4)).toEqual(full.slice(4));
  });

  it("lastEpoch resumes a schedule: CosineAnnealingLR built at lastEpoch 6 continues the uninterrupted one", () => {
    const o1 = sgd();
    const full = lrSequence(o1, new S.CosineAnnealingLR(o1, { tMax: 10 }), 9);
    const o2 = sgd();
    o2.paramGroups[0]!.initialLr = 0.1;
    o2.paramGroups[0]!.lr = full[6]!;
    const resumed = new S.CosineAnnealingLR(o2, { tMax: 10, lastEpoch: 6 });
    expect(resumed.lastEpoch).toBe(7);
    expectClose(o2.paramGroups[0]!.lr as number, full[7]!, { rtol: 1e-14, atol: 1e-14 });
    expect(() => new S.CosineAnnealingLR(sgd(), { tMax: 10, lastEpoch: 6 })).toThrow(/param group 0 has no initialLr/);
  });
});

describe("individual schedules", () => {
  it("the constructor performs the initial step: initialLr is recorded and epoch 0's lr applied", () => {
    const opt = sgd(0.3);
    const sched = new S.LinearLR(opt, { startFactor: 0.5, totalIters: 2 });
    expect(opt.paramGroups[0]!.initialLr).toBe(0.3);
    expect(opt.paramGroups[0]!.lr).toBe(0.15);
    expect(sched.lastEpoch).toBe(0);
    expect(sched.getLastLr()).toEqual([0.15]);
  });

  it("LambdaLR: lr = initial lr · λ(epoch), one function per group", () => {
    const w = st.zeros([1], { requiresGrad: true });
    const b = st.zeros([1], { requiresGrad: true });
    const opt = new st.optim.SGD([{ params: [w] }, { params: [b], lr: 1 }], { lr: 0.1 });
    const sched = new S.LambdaLR(opt, { lrLambda: [(e) => 1 / (e + 1), (e) => 0.5 ** e] });
    sched.step();
    sched.step();
    expectClose(sched.getLastLr() as number[], [0.1 / 3, 0.25], { rtol: 1e-15, atol: 1e-15 });
    expect(() => new S.LambdaLR(opt, { lrLambda: [(e) => e] })).toThrow(/LambdaLR: expected 2 lrLambda functions, one per parameter group \(got 1\)/);
    expect(sched.stateDict()).not.toHaveProperty("lr_lambdas");
  });

  it("MultiStepLR: a repeated milestone multiplies by gamma twice", () => {
    const opt = sgd(1);
    const seq = lrSequence(opt, new S.MultiStepLR(opt, { milestones: [3, 1, 3], gamma: 0.5 }), 4);
    expect(seq).toEqual([1, 0.5, 0.5, 0.125, 0.125]);
  });

  it("OneCycleLR cycles Adam's β₁ (betas[0]) and leaves β₂ alone", () => {
    const opt = new st.optim.Adam([st.zeros([1], { requiresGrad: true })], { betas: [0.9, 0.99] });
    const sched = new S.OneCycleLR(opt, { maxLr: 0.01, totalSteps: 10, pctStart: 0.5 });
    expect(opt.paramGroups[0]!.betas).toEqual([0.95, 0.99]);
    for (let i = 0; i < 4; i++) sched.step();
    expectClose(opt.paramGroups[0]!.betas[0], 0.85, { rtol: 1e-14, atol: 1e-14 }); // the lr peak (step 4 = 0.5·10 − 1)
    expect(opt.paramGroups[0]!.betas[1]).toBe(0.99);
    expectClose(opt.paramGroups[0]!.lr as number, 0.01, { rtol: 1e-14, atol: 1e-14 });
  });

  it("OneCycleLR: epochs × stepsPerEpoch gives totalSteps; stepping past the end is a ValueError", () => {
    const opt = sgd();
    const sched = new S.OneCycleLR(opt, { maxLr: 0.1, epochs: 2, stepsPerEpoch: 3 });
    expect(sched.totalSteps).toBe(6);
    for (let i = 0; i < 6; i++) sched.step(); // PyTorch lets one extra step through (extrapolating)
    expect(() => sched.step()).toThrow(/OneCycleLR: tried to step 8 times, but the schedule has totalSteps = 6/);
  });

  it("ReduceLROnPlateau in max mode with absolute threshold; accepts a one-element tensor metric", () => {
    const opt = sgd(1);
    const sched = new S.ReduceLROnPlateau(opt, { mode: "max", thresholdMode: "abs", threshold: 0.1, patience: 1, factor: 0.5 });
    for (const m of [0.5, 0.55, 0.58]) sched.step(st.scalar(m)); // +0.05, +0.08: not better by 0.1
    expect(opt.paramGroups[0]!.lr).toBe(0.5);
    expect(sched.best).toBe(0.5);
    expect(sched.getLastLr()).toEqual([0.5]);
  });

  it("ChainedScheduler compounds its children's factors", () => {
    const opt = sgd(1);
    const sched = new S.ChainedScheduler([new S.ExponentialLR(opt, { gamma: 0.5 }), new S.StepLR(opt, { stepSize: 2, gamma: 0.1 })]);
    expectClose(lrSequence(opt, sched, 3), [1, 0.5, 0.025, 0.0125], { rtol: 1e-15, atol: 1e-15 });
  });
});

describe("validation", () => {
  const cases: [string, () => unknown, RegExp][] = [
    ["StepLR without stepSize", () => new S.StepLR(sgd(), {} as { stepSize: number }), /StepLR: option stepSize is required/],
    ["StepLR stepSize 0", () => new S.StepLR(sgd(), { stepSize: 0 }), /StepLR: option stepSize must be an integer >= 1 \(got 0\)/],
    ["an unknown option", () => new S.StepLR(sgd(), { stepSize: 2, step_size: 3 } as never), /StepLR: unknown option "step_size"/],
    ["MultiStepLR fractional milestone", () => new S.MultiStepLR(sgd(), { milestones: [1.5] }), /MultiStepLR: option milestones must be an array of integers/],
    ["CosineAnnealingLR tMax 0", () => new S.CosineAnnealingLR(sgd(), { tMax: 0 }), /CosineAnnealingLR: option tMax must be > 0/],
    ["LinearLR startFactor 0", () => new S.LinearLR(sgd(), { startFactor: 0 }), /LinearLR: option startFactor must be > 0/],
    ["LinearLR endFactor 2", () => new S.LinearLR(sgd(), { endFactor: 2 }), /LinearLR: option endFactor is out of range/],
    ["OneCycleLR without a length", () => new S.OneCycleLR(sgd(), { maxLr: 0.1 }), /OneCycleLR: give either totalSteps or both epochs and stepsPerEpoch/],
    ["OneCycleLR pctStart 1.5", () => new S.OneCycleLR(sgd(), { maxLr: 0.1, totalSteps: 10, pctStart: 1.5 }), /OneCycleLR: option pctStart is out of range/],
    ["OneCycleLR bad strategy", () => new S.OneCycleLR(sgd(), { maxLr: 0.1, totalSteps: 10, annealStrategy: "exp" as "cos" }), /OneCycleLR: option annealStrategy must be one of "cos", "linear"/],
    [
      "OneCycleLR cycling momentum of Adagrad",
      () => new S.OneCycleLR(new st.optim.Adagrad([st.zeros([1], { requiresGrad: true })]), { maxLr: 0.1, totalSteps: 10 }),
      /OneCycleLR: cycleMomentum needs an optimizer with momentum or betas \(Adagrad has neither/,
    ],
    ["OneCycleLR maxLr per group count", () => new S.OneCycleLR(sgd(), { maxLr: [0.1, 0.2], totalSteps: 10 }), /OneCycleLR: option maxLr has 2 values \(expected one per parameter group: 1\)/],
    ["ReduceLROnPlateau factor 1", () => new S.ReduceLROnPlateau(sgd(), { factor: 1 }), /ReduceLROnPlateau: option factor is out of range \(got 1; expected 0 <= factor < 1\)/],
    ["ReduceLROnPlateau bad mode", () => new S.ReduceLROnPlateau(sgd(), { mode: "up" as "min" }), /ReduceLROnPlateau: option mode must be one of "min", "max"/],
    ["a scheduler without an optimizer", () => new S.ExponentialLR({} as st.optim.Optimizer, { gamma: 0.9 }), /ExponentialLR: expected an optimizer from st.optim/],
  ];
  for (const [what, make, message] of cases) {
    it(`${what} → ValueError naming the scheduler and the option`, () => {
      expect(make).toThrow(ValueError);
      expect(make).toThrow(message);
    });
  }

  it("SequentialLR: milestone count and shared optimizer are checked", () => {
    const opt = sgd();
    const a = new S.ExponentialLR(opt, { gamma: 0.9 });
    const b = new S.StepLR(opt, { stepSize: 2 });
    expect(() => new S.SequentialLR(opt, { schedulers: [a, b], milestones: [] })).toThrow(/SequentialLR: expected 1 milestones for 2 schedulers \(got 0\)/);
    const other = sgd();
    expect(() => new S.SequentialLR(other, { schedulers: [a, b], milestones: [3] })).toThrow(/SequentialLR: schedulers\[0\] belongs to another optimizer/);
    expect(() => new S.ChainedScheduler([a, new S.StepLR(other, { stepSize: 2 })])).toThrow(/ChainedScheduler: schedulers\[1\] belongs to another optimizer/);
  });
});
