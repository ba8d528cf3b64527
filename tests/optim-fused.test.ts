// The native fused optimizer kernels against the pure-TypeScript update rules (which the PyTorch
// fixtures check): the same trajectories, to float64 round-off and to float32 accumulation. The
// optimizer steps are kernel-table entries (adamStep, sgdStep, rmspropStep): "without fused"
// is the native backend with those entries left out, so the js kernels of the table run them.
import { afterAll, describe, expect, it } from "vitest";
import * as st from "../src/node.js";
import type { Backend, Kernels } from "../src/backend/backend.js";
import { getBackend, registerBackend, setBackend } from "../src/backend/registry.js";
import { loadNativeBackend } from "../src/backend/native/index.js";
import { requireNative } from "./helpers/require-native.js";

const nb = loadNativeBackend().backend;
const hasFused = nb !== null;
if (!hasFused) requireNative("optim-fused", false, st.backendInfo().native.reason);
const before = getBackend();
const FUSED = ["adamStep", "sgdStep", "rmspropStep"] as const;

/** Registers and activates the native backend with `over` replacing (or, undefined, removing) entries. */
function useNative(name: string, over: Partial<Record<(typeof FUSED)[number], Kernels[(typeof FUSED)[number]] | undefined>>): void {
  const kernels: Backend["kernels"] = { ...nb!.kernels };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete (kernels as Record<string, unknown>)[k];
    else (kernels as Record<string, unknown>)[k] = v;
  }
  registerBackend({ name, kernels });
  setBackend(name);
}
const setFused = (on: boolean) => (on ? setBackend("native") : useNative("native-nofused", { adamStep: undefined, sgdStep: undefined, rmspropStep: undefined }));
afterAll(() => setBackend(before));

type MakeOpt = (w: st.Tensor) => st.optim.Optimizer;

function trajectory(Opt: typeof st.optim.Adam | MakeOpt, dtype: "float32" | "float64", weightDecay: number, useFused: boolean, steps: number): Float64Array {
  setFused(useFused);
  try {
    const g = new st.Generator(7);
    const w = st.randn([40, 24], { dtype, generator: g, requiresGrad: true });
    const x = st.randn([16, 24], { dtype, generator: g });
    const opt = "prototype" in Opt ? new (Opt as typeof st.optim.Adam)([w], { lr: 0.01, weightDecay }) : (Opt as MakeOpt)(w);
    for (let i = 0; i < steps; i++) {
      opt.zeroGrad();
      x.matmul(w.T).tanh().square().sum().backward();
      opt.step();
    }
    return Float64Array.from(w.dataSync());
  } finally {
    setBackend("native");
  }
}

function maxRelDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), 1e-3));
  return m;
}

describe.skipIf(!hasFused)("fused native optimizer steps", () => {
  for (const Opt of [st.optim.Adam, st.optim.AdamW] as (typeof st.optim.Adam)[]) {
    for (const wd of [0, 0.1]) {
      it(`${Opt.name} (weightDecay ${wd}) matches the TypeScript rule: float64 to 1e-12, float32 to float32 round-off`, () => {
        expect(maxRelDiff(trajectory(Opt, "float64", wd, true, 30), trajectory(Opt, "float64", wd, false, 30))).toBeLessThan(1e-12);
        // one step: a single rounding apart; 30 steps: round-off accumulates through the nonlinear loss
        expect(maxRelDiff(trajectory(Opt, "float32", wd, true, 1), trajectory(Opt, "float32", wd, false, 1))).toBeLessThan(1e-6);
        expect(maxRelDiff(trajectory(Opt, "float32", wd, true, 30), trajectory(Opt, "float32", wd, false, 30))).toBeLessThan(1e-3);
      });
    }
  }

  // learning rates small enough that the 30 steps stay smooth: at lr 0.05 plain SGD oscillates on
  // this loss and amplifies a one-ulp difference to 1e-8 in 30 steps
  const others: [string, MakeOpt][] = [
    ["SGD", (w) => new st.optim.SGD([w], { lr: 0.005 })],
    ["SGD momentum, dampening, weight decay", (w) => new st.optim.SGD([w], { lr: 0.002, momentum: 0.9, dampening: 0.1, weightDecay: 0.01 })],
    ["SGD Nesterov", (w) => new st.optim.SGD([w], { lr: 0.002, momentum: 0.9, nesterov: true })],
    ["RMSprop", (w) => new st.optim.RMSprop([w], { lr: 0.002 })],
    ["RMSprop centered, momentum, weight decay", (w) => new st.optim.RMSprop([w], { lr: 0.001, centered: true, momentum: 0.5, weightDecay: 0.01 })],
  ];
  for (const [name, make] of others) {
    it(`${name} matches the TypeScript rule: float64 to 1e-12, float32 to float32 round-off`, () => {
      expect(maxRelDiff(trajectory(make, "float64", 0, true, 30), trajectory(make, "float64", 0, false, 30))).toBeLessThan(1e-12);
      // one step: a few float32 roundings (RMSprop's first step moves each weight by ≈ 10·lr, so
      // one ulp of the step is 2e-6 of a weight that ends near 1e-3)
      expect(maxRelDiff(trajectory(make, "float32", 0, true, 1), trajectory(make, "float32", 0, false, 1))).toBeLessThan(1e-5);
      expect(maxRelDiff(trajectory(make, "float32", 0, true, 30), trajectory(make, "float32", 0, false, 30))).toBeLessThan(1e-3);
    });
  }

  it("SGD and RMSprop run the fused kernels, except with a tensor learning rate or maximize", () => {
    const calls = { sgd: 0, rms: 0 };
    // count the addon's calls: the wrappers take the fused path only when the case fits
    const addon = loadNativeBackend().fused!;
    const spy = { sgdStep: addon.sgdStep, rmspropStep: addon.rmspropStep };
    addon.sgdStep = (...a) => { calls.sgd++; spy.sgdStep!(...a); };
    addon.rmspropStep = (...a) => { calls.rms++; spy.rmspropStep!(...a); };
    try {
      const w = st.randn([4], { requiresGrad: true });
      const step = (opt: st.optim.Optimizer) => { opt.zeroGrad(); w.square().sum().backward(); opt.step(); };
      step(new st.optim.SGD([w], { lr: 0.1, momentum: 0.9 }));
      step(new st.optim.RMSprop([w], { lr: 0.1, centered: true }));
      expect(calls).toEqual({ sgd: 1, rms: 1 });
      step(new st.optim.SGD([w], { lr: 0.1, maximize: true }));
      step(new st.optim.RMSprop([w], { lr: st.tensor([0.1, 0, 0.1, 0]) }));
      expect(calls).toEqual({ sgd: 1, rms: 1 });
    } finally {
      Object.assign(addon, spy);
    }
  });

  it("uses the fused kernel only where it applies: AMSGrad and tensor learning rates take the TypeScript path", () => {
    let calls = 0;
    const addon = loadNativeBackend().fused!;
    const real = addon.adamStep;
    addon.adamStep = (...args) => { calls++; real!(...args); };
    try {
      const w = st.randn([4], { requiresGrad: true });
      const step = (opt: st.optim.Optimizer) => { opt.zeroGrad(); w.square().sum().backward(); opt.step(); };
      step(new st.optim.Adam([w], { lr: 0.1 }));
      expect(calls).toBe(1);
      step(new st.optim.Adam([w], { lr: 0.1, amsgrad: true }));
      step(new st.optim.Adam([w], { lr: st.tensor([0.1, 0, 0.1, 0]) }));
      expect(calls).toBe(1);
    } finally {
      addon.adamStep = real;
    }
  });
});
