// Optimizer behaviour beyond the PyTorch trajectories: per-element learning rates, state-dict round
// trips, zeroGrad, parameter groups, closures, option validation, skipped parameters, the
// constraint hook, dtypes, and plain gradient descent converging on a convex quadratic.

import { describe, expect, it } from "vitest";
import * as st from "../src/index.js";
import { DTypeError, ShapeError, ValueError, type Tensor } from "../src/index.js";
import { adamUpdate, sgdUpdate } from "../src/optim/index.js";
import { expectClose } from "./helpers/close.js";

type Make = (params: st.optim.Params, lr: st.optim.LearningRate) => st.optim.Optimizer;

/** Every optimizer, with options that switch on its optional branches. */
const OPTIMIZERS: [string, Make][] = [
  ["SGD", (p, lr) => new st.optim.SGD(p, { lr, momentum: 0.9, nesterov: true, weightDecay: 0.01 })],
  ["Adam", (p, lr) => new st.optim.Adam(p, { lr, amsgrad: true, weightDecay: 0.01 })],
  ["AdamW", (p, lr) => new st.optim.AdamW(p, { lr, weightDecay: 0.1 })],
  ["RMSprop", (p, lr) => new st.optim.RMSprop(p, { lr, centered: true, momentum: 0.5, weightDecay: 0.01 })],
  ["Adagrad", (p, lr) => new st.optim.Adagrad(p, { lr, lrDecay: 0.01, initialAccumulatorValue: 0.1 })],
  ["Adadelta", (p, lr) => new st.optim.Adadelta(p, { lr, weightDecay: 0.01 })],
  ["Adamax", (p, lr) => new st.optim.Adamax(p, { lr, weightDecay: 0.01 })],
  ["NAdam", (p, lr) => new st.optim.NAdam(p, { lr, weightDecay: 0.01 })],
];

/** A separable non-quadratic loss: each element's gradient depends on that element only. */
function separableLoss(p: Tensor): Tensor {
  const target = st.tensor([1, -2, 0.5, 3], { dtype: "float64" });
  return p.sub(target).square().mul(st.tensor([1, 2, 0.5, 3], { dtype: "float64" })).sum().add(p.square().square().mul(0.05).sum());
}

function run(make: Make, lr: st.optim.LearningRate, steps: number, p0 = [0.3, -0.7, 2, 1.5]): Tensor {
  const p = st.tensor(p0, { dtype: "float64", requiresGrad: true });
  const opt = make([p], lr);
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    separableLoss(p).backward();
    opt.step();
  }
  return p;
}

describe("per-element learning rate (a tensor lr)", () => {
  it("SGD with lr = [0.1, 0] moves the first coordinate by −0.1·g and leaves the second unchanged", () => {
    const p = st.tensor([1, 2], { dtype: "float64", requiresGrad: true });
    const opt = new st.optim.SGD([p], { lr: st.tensor([0.1, 0], { dtype: "float64" }) });
    p.square().mul(st.tensor([3, 5], { dtype: "float64" })).sum().backward(); // g = [6, 20]
    opt.step();
    expect(p.toArray()).toEqual([1 - 0.1 * 6, 2]);
  });

  it("a tensor lr broadcasts to the parameter (lr of shape [2, 1] for a [2, 3] parameter)", () => {
    const p = st.ones([2, 3], { dtype: "float64", requiresGrad: true });
    const opt = new st.optim.SGD([p], { lr: st.tensor([[0.5], [0]], { dtype: "float64" }) });
    p.sum().backward(); // g = 1 everywhere
    opt.step();
    expect(p.toArray()).toEqual([[0.5, 0.5, 0.5], [1, 1, 1]]);
  });

  it("Adam with lr = [0.1, 0] matches the formula on the first coordinate and freezes the second", () => {
    const p = st.tensor([1, 2], { dtype: "float64", requiresGrad: true });
    const opt = new st.optim.Adam([p], { lr: st.tensor([0.1, 0], { dtype: "float64" }) });
    const g = [4, -3];
    for (let t = 1; t <= 3; t++) {
      opt.zeroGrad();
      p.mul(st.tensor(g, { dtype: "float64" })).sum().backward();
      opt.step();
    }
    // constant gradient: m_t = (1−β₁ᵗ)g, v_t = (1−β₂ᵗ)g², so each step is η·g/(|g| + ε) after correction
    const step = (0.1 * 4) / (4 + 1e-8);
    expectClose(p.toArray(), [1 - 3 * step, 2], { rtol: 1e-14, atol: 1e-14 });
  });

  for (const [name, make] of OPTIMIZERS) {
    it(`${name}: a tensor lr gives each element the trajectory of a run with that element's scalar lr`, () => {
      const lrs = [0.05, 0.01, 0, 0.2];
      const withTensor = run(make, st.tensor(lrs, { dtype: "float64" }), 10);
      const stitched = lrs.map((lr, i) => (run(make, lr, 10)._data[i]!));
      expectClose(withTensor, stitched, { rtol: 1e-15, atol: 0 });
      expect(withTensor._data[2]).toBe(2); // lr 0: the element never moves (not even by weight decay)
    });
  }

  it("a tensor lr that does not broadcast to a parameter is a ShapeError naming the optimizer", () => {
    const p = st.zeros([3], { requiresGrad: true });
    expect(() => new st.optim.Adam([p], { lr: st.tensor([0.1, 0.2]) })).toThrow(ShapeError);
    expect(() => new st.optim.Adam([p], { lr: st.tensor([0.1, 0.2]) })).toThrow(/Adam: a tensor lr of shape \[2\] does not broadcast to a parameter of shape \[3\]/);
    // a tensor lr bigger than the parameter would broadcast the parameter, which cannot be updated in place
    expect(() => new st.optim.SGD([p], { lr: st.full([2, 3], 0.1) })).toThrow(ShapeError);
  });

  it("a negative or non-finite element of a tensor lr is a ValueError", () => {
    const p = st.zeros([2], { requiresGrad: true });
    expect(() => new st.optim.SGD([p], { lr: st.tensor([0.1, -1]) })).toThrow(/SGD: every element of a tensor lr must be a finite number >= 0 \(element 1 is -1\)/);
    expect(() => new st.optim.SGD([p], { lr: st.tensor([NaN, 1]) })).toThrow(ValueError);
    expect(() => new st.optim.SGD([p], { lr: st.tensor([1, 2], { dtype: "int32" }) })).toThrow(DTypeError);
  });
});

describe("the pure update functions", () => {
  it("sgdUpdate with momentum: the first step copies the gradient into the buffer, later ones decay it", () => {
    const p = new Float64Array([1]);
    const buf = new Float64Array(1);
    const hp = { momentum: 0.9, dampening: 0.1, nesterov: false, weightDecay: 0, maximize: false };
    sgdUpdate(p, [2], buf, true, 0.1, hp);
    expect([p[0], buf[0]]).toEqual([1 - 0.2, 2]);
    sgdUpdate(p, [1], buf, false, 0.1, hp);
    expectClose([buf[0]!, p[0]!], [0.9 * 2 + 0.9 * 1, 0.8 - 0.1 * 2.7], { rtol: 1e-15, atol: 1e-15 });
  });

  it("adamUpdate with AMSGrad keeps the running maximum of v", () => {
    const p = new Float64Array([0]);
    const s = { expAvg: new Float64Array(1), expAvgSq: new Float64Array(1), maxExpAvgSq: new Float64Array(1) };
    const hp = { betas: [0.5, 0.5] as [number, number], eps: 0, weightDecay: 0, maximize: false };
    adamUpdate(p, [4], s, 1, 1, hp);
    adamUpdate(p, [0], s, 2, 1, hp);
    expect(s.expAvgSq[0]).toBe(4); // 0.5·8 + 0
    expect(s.maxExpAvgSq[0]).toBe(8); // max(8, 4)
  });
});

describe("stateDict / loadStateDict", () => {
  for (const [name, make] of OPTIMIZERS) {
    it(`${name}: save after 5 steps, load into a fresh optimizer, continue → the uninterrupted trajectory`, () => {
      const full = run(make, 0.05, 10);

      const p = st.tensor([0.3, -0.7, 2, 1.5], { dtype: "float64", requiresGrad: true });
      const first = make([p], 0.05);
      for (let i = 0; i < 5; i++) {
        first.zeroGrad();
        separableLoss(p).backward();
        first.step();
      }
      const sd = first.stateDict();
      const q = st.tensor(Array.from(p._data), { dtype: "float64", requiresGrad: true });
      const second = make([q], 123); // a different lr: loadStateDict must restore the saved one
      second.loadStateDict(sd);
      expect(second.paramGroups[0]!.lr).toBe(0.05);
      for (let i = 0; i < 5; i++) {
        second.zeroGrad();
        separableLoss(q).backward();
        second.step();
      }
      expect(Array.from(q._data)).toEqual(Array.from(full._data));
    });
  }

  it("uses PyTorch's layout: numbered params, snake_case options, PyTorch state keys, copied tensors", () => {
    const w = st.zeros([2, 2], { requiresGrad: true });
    const b = st.zeros([2], { requiresGrad: true });
    const opt = new st.optim.Adam([{ params: [w] }, { params: [b], weightDecay: 0.1 }], { lr: 0.01, amsgrad: true });
    w.sum().backward();
    b.sum().backward();
    opt.step();
    const sd = opt.stateDict();
    expect(sd.param_groups.map((g) => g.params)).toEqual([[0], [1]]);
    expect(sd.param_groups[1]).toMatchObject({ lr: 0.01, weight_decay: 0.1, betas: [0.9, 0.999], eps: 1e-8, amsgrad: true, maximize: false });
    expect(Object.keys(sd.state[0]!).sort()).toEqual(["exp_avg", "exp_avg_sq", "max_exp_avg_sq", "step"]);
    expect(sd.state[0]!.step).toBe(1);
    const saved = sd.state[0]!.exp_avg as Tensor;
    const before = Array.from(saved._data);
    opt.step();
    expect(Array.from(saved._data)).toEqual(before); // a copy, not the live buffer
    (sd.param_groups[0]!.betas as number[])[0] = 0.5;
    expect(opt.paramGroups[0]!.betas[0]).toBe(0.9);
  });

  it("accepts PyTorch's 0-d tensor counters and casts state to the parameter's dtype", () => {
    const p = st.zeros([2], { requiresGrad: true }); // float32
    const opt = new st.optim.Adam([p], { lr: 0.1 });
    opt.loadStateDict({
      state: { 0: { step: st.scalar(3), exp_avg: st.tensor([0.1, 0.2], { dtype: "float64" }), exp_avg_sq: st.tensor([0.01, 0.04], { dtype: "float64" }) } },
      param_groups: [{ params: [0], lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, maximize: false }],
    });
    const s = opt.state.get(p)!;
    expect(s.step).toBe(3);
    expect((s.exp_avg as Tensor).dtype).toBe("float32");
  });

  it("rejects a state dict that does not fit (group count, group size, state shape)", () => {
    const w = st.zeros([2], { requiresGrad: true });
    const b = st.zeros([3], { requiresGrad: true });
    const opt = new st.optim.SGD([w, b], { lr: 0.1, momentum: 0.9 });
    const two = new st.optim.SGD([{ params: [w] }, { params: [b] }], { lr: 0.1 });
    expect(() => opt.loadStateDict(two.stateDict())).toThrow(/SGD.loadStateDict: the state dict has 2 parameter groups, this optimizer 1/);
    const one = new st.optim.SGD([w], { lr: 0.1 });
    expect(() => opt.loadStateDict(one.stateDict())).toThrow(/parameter group 0 has 1 parameters in the state dict, 2 in this optimizer/);
    const sd = opt.stateDict();
    sd.state[0] = { momentum_buffer: st.zeros([3]) };
    expect(() => opt.loadStateDict(sd)).toThrow(ShapeError);
    const bad = opt.stateDict();
    bad.param_groups[0]!.momentum = -1;
    expect(() => opt.loadStateDict(bad)).toThrow(/SGD: option momentum in param group 0 must be >= 0/);
  });
});

describe("zeroGrad", () => {
  it("sets gradients to null by default, or zeroes them in place with setToNone: false", () => {
    const p = st.ones([3], { requiresGrad: true });
    const opt = new st.optim.SGD([p], { lr: 0.1 });
    p.sum().backward();
    const g = p.grad!;
    opt.zeroGrad({ setToNone: false });
    expect(p.grad).toBe(g);
    expect(g.toArray()).toEqual([0, 0, 0]);
    p.sum().backward();
    expect(p.grad!.toArray()).toEqual([1, 1, 1]); // accumulation starts from zero again
    opt.zeroGrad();
    expect(p.grad).toBeNull();
  });
});

describe("parameter groups", () => {
  it("each group uses its own lr; options a group leaves out come from the defaults", () => {
    const w = st.tensor([1, 1], { dtype: "float64", requiresGrad: true });
    const b = st.tensor([1], { dtype: "float64", requiresGrad: true });
    const opt = new st.optim.SGD([{ params: [w], lr: 0.5 }, { params: b }], { lr: 0.1, momentum: 0.9 });
    expect(opt.paramGroups[1]).toMatchObject({ lr: 0.1, momentum: 0.9, dampening: 0 });
    w.sum().add(b.sum()).backward();
    opt.step();
    expect(w.toArray()).toEqual([0.5, 0.5]);
    expect(b.toArray()).toEqual([0.9]);
  });

  it("addParamGroup adds parameters later; a parameter may not appear twice", () => {
    const w = st.zeros([2], { requiresGrad: true });
    const b = st.zeros([2], { requiresGrad: true });
    const opt = new st.optim.Adam([w], { lr: 0.01 });
    opt.addParamGroup({ params: [b], lr: 0.1 });
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.01, 0.1]);
    expect(opt.paramGroups[1]!.betas).toEqual([0.9, 0.999]);
    expect(() => opt.addParamGroup({ params: [w] })).toThrow(/Adam: param group 2 params\[0\] already appears in a parameter group/);
    expect(() => new st.optim.SGD([w, w], { lr: 0.1 })).toThrow(ValueError);
  });

  it("Adagrad fills the accumulators of every group, including ones added later", () => {
    const w = st.zeros([2], { requiresGrad: true });
    const b = st.zeros([1], { requiresGrad: true });
    const opt = new st.optim.Adagrad([w], { initialAccumulatorValue: 0.5 });
    opt.addParamGroup({ params: [b], initialAccumulatorValue: 2 });
    expect((opt.state.get(w)!.sum as Tensor).toArray()).toEqual([0.5, 0.5]);
    expect((opt.state.get(b)!.sum as Tensor).toArray()).toEqual([2]);
  });
});

describe("step", () => {
  it("with a closure: runs it (recording the graph even inside noGrad), uses its gradients, returns its loss", () => {
    const p = st.tensor([2], { dtype: "float64", requiresGrad: true });
    const opt = new st.optim.SGD([p], { lr: 0.25 });
    let calls = 0;
    const loss = st.noGrad(() =>
      opt.step(() => {
        calls++;
        opt.zeroGrad();
        const l = p.square().sum();
        l.backward();
        return l;
      }),
    );
    expect(calls).toBe(1);
    expect(loss!.item()).toBe(4);
    expect(p.toArray()).toEqual([2 - 0.25 * 4]);
    expect(opt.step()).toBeUndefined();
  });

  it("skips a parameter whose grad is null, and keeps no state for it", () => {
    const used = st.ones([2], { requiresGrad: true });
    const unused = st.ones([2], { requiresGrad: true });
    const opt = new st.optim.Adam([used, unused], { lr: 0.1 });
    used.sum().backward();
    opt.step();
    expect(unused.toArray()).toEqual([1, 1]);
    expect(opt.state.has(unused)).toBe(false);
    expect(opt.state.get(used)!.step).toBe(1);
    expect(Object.keys(opt.stateDict().state)).toEqual(["0"]);
  });

  it("updates in place, bumps the version counter, and keeps the parameter's dtype (float32)", () => {
    const p = st.tensor([1, 2], { requiresGrad: true });
    const data = p._data;
    const v = p.version;
    const opt = new st.optim.Adam([p], { lr: 0.1 });
    p.sum().backward();
    opt.step();
    expect(p._data).toBe(data);
    expect(p.dtype).toBe("float32");
    expect(p.version).toBe(v + 1);
    expect((opt.state.get(p)!.exp_avg as Tensor).dtype).toBe("float32");
    expect(p.requiresGrad && p.isLeaf).toBe(true);
  });

  it("maximize ascends: one step equals a descent step on the negated gradient", () => {
    for (const [, make] of OPTIMIZERS.slice(0, 2)) {
      const up = st.tensor([1, -1], { dtype: "float64", requiresGrad: true });
      const down = st.tensor([1, -1], { dtype: "float64", requiresGrad: true });
      const a = make([up], 0.1);
      a.paramGroups[0]!.maximize = true;
      const b = make([down], 0.1);
      up.mul(st.tensor([2, 3], { dtype: "float64" })).sum().backward();
      down.mul(st.tensor([-2, -3], { dtype: "float64" })).sum().backward();
      a.step();
      b.step();
      expectClose(up, down, { rtol: 0, atol: 0 });
    }
  });

  it("calls a parameter's constraint function after updating it", () => {
    const p = st.tensor([0.05, 1], { dtype: "float64", requiresGrad: true });
    (p as unknown as { constraint: (t: Tensor) => void }).constraint = (t) => {
      t.clamp_(0, null); // non-negativity, as st.nn constraints attach it
    };
    const opt = new st.optim.SGD([p], { lr: 0.1 });
    p.sum().backward(); // g = 1: the first coordinate would become −0.05
    opt.step();
    expect(p.toArray()).toEqual([0, 0.9]);
  });

  it("a constraint that returns the projected values gets them written into the parameter", () => {
    const p = st.tensor([0.05, 1], { dtype: "float64", requiresGrad: true });
    const hook = p as unknown as { constraint: (t: Tensor) => Tensor };
    hook.constraint = (t) => t.clamp(0, 0.5);
    const opt = new st.optim.SGD([p], { lr: 0.1 });
    p.sum().backward();
    opt.step();
    expect(p.toArray()).toEqual([0, 0.5]);
    hook.constraint = () => st.zeros([3]);
    expect(() => opt.step()).toThrow(/SGD.step: the constraint of a parameter of shape \[2\] returned shape \[3\]/);
  });

  it("a gradient whose shape differs from its parameter's is a ShapeError", () => {
    const p = st.zeros([2], { requiresGrad: true });
    const opt = new st.optim.SGD([p], { lr: 0.1 });
    p.grad = st.zeros([3]);
    expect(() => opt.step()).toThrow(/SGD.step: a gradient of shape \[3\] does not fit its parameter of shape \[2\]/);
  });
});

describe("validation", () => {
  const p = () => [st.zeros([2], { requiresGrad: true })];
  const cases: [string, () => unknown, RegExp][] = [
    ["SGD without lr", () => new st.optim.SGD(p(), {} as { lr: number }), /SGD: option lr is required/],
    ["SGD negative lr", () => new st.optim.SGD(p(), { lr: -0.1 }), /SGD: option lr must be >= 0 \(got -0.1\)/],
    ["SGD NaN lr", () => new st.optim.SGD(p(), { lr: NaN }), /SGD: option lr must be a finite number/],
    ["SGD negative momentum", () => new st.optim.SGD(p(), { lr: 0.1, momentum: -0.5 }), /SGD: option momentum must be >= 0/],
    ["SGD nesterov without momentum", () => new st.optim.SGD(p(), { lr: 0.1, nesterov: true }), /SGD: option nesterov requires momentum > 0 and dampening = 0 \(got momentum 0, dampening 0\)/],
    ["SGD nesterov with dampening", () => new st.optim.SGD(p(), { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }), /SGD: option nesterov requires/],
    ["SGD negative weightDecay", () => new st.optim.SGD(p(), { lr: 0.1, weightDecay: -1 }), /SGD: option weightDecay must be >= 0/],
    ["Adam beta1 = 1", () => new st.optim.Adam(p(), { betas: [1, 0.999] }), /Adam: option betas\[0\] is out of range \(got 1; expected 0 <= betas\[0\] < 1\)/],
    ["Adam beta2 < 0", () => new st.optim.Adam(p(), { betas: [0.9, -0.1] }), /Adam: option betas\[1\] is out of range/],
    ["Adam negative eps", () => new st.optim.Adam(p(), { eps: -1e-8 }), /Adam: option eps must be >= 0/],
    ["Adam bad betas", () => new st.optim.Adam(p(), { betas: [0.9] as unknown as [number, number] }), /Adam: option betas must be an array of two numbers/],
    ["Adam non-boolean amsgrad", () => new st.optim.Adam(p(), { amsgrad: "yes" as unknown as boolean }), /Adam: option amsgrad must be a boolean/],
    ["Adam in a group", () => new st.optim.Adam([{ params: p(), eps: -1 }]), /Adam: option eps in param group 0 must be >= 0/],
    ["AdamW negative lr", () => new st.optim.AdamW(p(), { lr: -1 }), /AdamW: option lr must be >= 0/],
    ["RMSprop negative alpha", () => new st.optim.RMSprop(p(), { alpha: -0.1 }), /RMSprop: option alpha must be >= 0/],
    ["Adagrad negative lrDecay", () => new st.optim.Adagrad(p(), { lrDecay: -1 }), /Adagrad: option lrDecay must be >= 0/],
    ["Adadelta rho > 1", () => new st.optim.Adadelta(p(), { rho: 1.5 }), /Adadelta: option rho is out of range \(got 1.5; expected 0 <= rho <= 1\)/],
    ["Adamax negative eps", () => new st.optim.Adamax(p(), { eps: -1 }), /Adamax: option eps must be >= 0/],
    ["NAdam negative momentumDecay", () => new st.optim.NAdam(p(), { momentumDecay: -1 }), /NAdam: option momentumDecay must be >= 0/],
    ["an unknown option", () => new st.optim.Adam(p(), { weight_decay: 0.1 } as never), /Adam: unknown option "weight_decay" \(expected one of amsgrad, betas, eps, lr, maximize, weightDecay\)/],
    ["no parameters", () => new st.optim.SGD([], { lr: 0.1 }), /SGD: got an empty parameter list/],
    ["an integer parameter", () => new st.optim.SGD([st.zeros([2], { dtype: "int32" })], { lr: 0.1 }), /SGD: param group 0 params\[0\] has dtype int32/],
    ["a non-leaf parameter", () => new st.optim.SGD([st.zeros([2], { requiresGrad: true }).mul(2)], { lr: 0.1 }), /SGD: param group 0 params\[0\] is not a leaf tensor/],
  ];
  for (const [what, make, message] of cases) {
    it(`${what} → a typed error naming the optimizer and the option`, () => {
      expect(make).toThrow(message);
    });
  }

  it("option errors are ValueErrors; an integer parameter is a DTypeError", () => {
    expect(() => new st.optim.Adam(p(), { betas: [1, 0.999] })).toThrow(ValueError);
    expect(() => new st.optim.SGD([st.zeros([2], { dtype: "int32" })], { lr: 0.1 })).toThrow(DTypeError);
  });

  it("accepts the edge values PyTorch accepts (lr 0, beta 0, rho 1)", () => {
    expect(() => new st.optim.Adam(p(), { lr: 0, betas: [0, 0] })).not.toThrow();
    expect(() => new st.optim.Adadelta(p(), { rho: 1 })).not.toThrow();
  });
});

describe("defaults and printing", () => {
  it("have PyTorch's defaults", () => {
    const q = [st.zeros([1], { requiresGrad: true })];
    expect(new st.optim.Adam(q).defaults).toEqual({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false });
    expect(new st.optim.AdamW(q).defaults.weightDecay).toBe(1e-2);
    expect(new st.optim.RMSprop(q).defaults).toMatchObject({ lr: 1e-2, alpha: 0.99, eps: 1e-8, momentum: 0, centered: false });
    expect(new st.optim.Adagrad(q).defaults).toMatchObject({ lr: 1e-2, lrDecay: 0, initialAccumulatorValue: 0, eps: 1e-10 });
    expect(new st.optim.Adadelta(q).defaults).toMatchObject({ lr: 1, rho: 0.9, eps: 1e-6 });
    expect(new st.optim.Adamax(q).defaults).toMatchObject({ lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8 });
    expect(new st.optim.NAdam(q).defaults).toMatchObject({ lr: 2e-3, eps: 1e-8, momentumDecay: 4e-3 });
    expect(new st.optim.SGD(q, { lr: 0.1 }).defaults).toMatchObject({ momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 });
  });

  it("toString lists each group's options and parameter shapes", () => {
    const opt = new st.optim.SGD([{ params: [st.zeros([3, 4], { requiresGrad: true }), st.zeros([3], { requiresGrad: true })] }], { lr: 0.1 });
    const s = opt.toString();
    expect(s).toContain("SGD (\nParameter Group 0\n");
    expect(s).toContain("    lr: 0.1\n");
    expect(s).toContain("    params: 2 tensors ([3, 4], [3])");
  });
});

describe("plain gradient descent", () => {
  it("SGD on the full-data loss of a convex quadratic converges to its minimizer A⁻¹b", () => {
    // f(x) = ½xᵀAx − bᵀx with A symmetric positive definite (eigenvalues in [1, 4]); x* solves Ax = b
    const A = st.tensor([[3, 1, 0], [1, 2, 0.5], [0, 0.5, 1.5]], { dtype: "float64" });
    const b = st.tensor([1, -2, 0.5], { dtype: "float64" });
    const xStar = [8 / 9, -5 / 3, 8 / 9];
    expectClose(A.matmul(st.tensor(xStar, { dtype: "float64" })), b, { rtol: 1e-12, atol: 1e-12 }); // the reference is the minimizer
    const x = st.zeros([3], { dtype: "float64", requiresGrad: true });
    const opt = new st.optim.SGD([x], { lr: 0.25 }); // below 2/λmax, so GD contracts
    let prev = Infinity;
    for (let i = 0; i < 300; i++) {
      opt.zeroGrad();
      const f = x.matmul(A.matmul(x)).mul(0.5).sub(b.dot(x));
      expect(f.item()).toBeLessThanOrEqual(prev + 1e-14); // monotone descent (up to rounding at the end)
      prev = f.item();
      f.backward();
      opt.step();
    }
    expectClose(x, xStar, { rtol: 1e-10, atol: 1e-10 });
  });
});
