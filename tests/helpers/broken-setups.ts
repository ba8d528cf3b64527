// The broken-setup scenarios of issue 13 and their matched healthy controls, on the bundled digits.
// Each runs a small hand-written training loop (or `fit`) under the monitor and returns it; the test
// (tests/broken-setups.test.ts) and the table command (scripts/broken-setups.ts) share them.

import * as st from "../../src/node.js";

export interface Expectation {
  label: st.stability.DiagnosisLabel;
  /** Module path, or null for whole-model findings. */
  layer: string | null;
}

export interface Scenario {
  name: string;
  /** What the monitor must report (null: a healthy control, which must get no diagnosis). */
  expect: Expectation | null;
  /** Epoch-based scenarios are judged at the epoch the gap opens, not within 3 checks. */
  epochBased?: boolean;
  run(seed: number): st.stability.Monitor;
}

const EVERY = 5;
const STEPS = 30;

interface Digits { x: st.Tensor; y: st.Tensor; xFull: st.Tensor; yFull: st.Tensor }
let cached: Digits | null = null;
function digits(): Digits {
  if (cached === null) {
    const d = st.datasets.loadDigits();
    // the same 512 samples for every scenario; a fixed order keeps seeds comparable
    cached = { x: d.x.slice(0, 512), y: d.y.slice(0, 512), xFull: d.x, yFull: d.y };
  }
  return cached;
}

type Act = "relu" | "sigmoid" | "tanh" | "none";
const actModule = (a: Act): st.nn.AnyModule | null =>
  a === "relu" ? new st.nn.ReLU() : a === "sigmoid" ? new st.nn.Sigmoid() : a === "tanh" ? new st.nn.Tanh() : null;

/** Linear layers of widths `sizes` with `act` between them (none after the last); module paths "0", "2", … */
function mlp(sizes: number[], act: Act, init?: (w: st.Tensor, b: st.Tensor | null, i: number) => void): st.nn.Sequential {
  const mods: st.nn.AnyModule[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const lin = new st.nn.Linear(sizes[i]!, sizes[i + 1]!);
    if (init) st.noGrad(() => init(lin.weight, lin.bias, i));
    mods.push(lin);
    const a = i + 2 < sizes.length ? actModule(act) : null;
    if (a !== null) mods.push(a);
  }
  return new st.nn.Sequential(...mods);
}

interface LoopOptions {
  lr: number;
  optimizer?: "sgd" | "adam";
  momentum?: number;
  inputScale?: number;
  steps?: number;
  batch?: number;
}

/** Minibatch training on the digits subset with cross-entropy, the monitor checking every EVERY steps. */
function train(seed: number, net: st.nn.Sequential, o: LoopOptions): st.stability.Monitor {
  const { x, y } = digits();
  const xs = o.inputScale === undefined ? x : x.mul(o.inputScale);
  const params = net.parameters();
  const opt = o.optimizer === "adam" ? new st.optim.Adam(params, { lr: o.lr }) : new st.optim.SGD(params, { lr: o.lr, momentum: o.momentum ?? 0 });
  const lossFn = new st.nn.CrossEntropyLoss();
  const mon = st.stability.monitor({ every: EVERY }).attach(net, opt);
  const g = new st.Generator(1000 + seed);
  const n = xs.shape[0]!;
  const batch = o.batch ?? 64;
  for (let s = 0; s < (o.steps ?? STEPS); s++) {
    const idx = st.randint(0, n, [batch], { generator: g });
    const xb = xs.indexSelect(0, idx);
    const yb = y.indexSelect(0, idx);
    opt.zeroGrad();
    const loss = lossFn.call(net.call(xb), yb);
    if (Number.isFinite(loss.item())) {
      loss.backward();
      opt.step();
    }
    mon.step(loss);
  }
  return mon;
}

const heInit = (scale: number, bias = 0) => (w: st.Tensor, b: st.Tensor | null): void => {
  st.nn.init.kaimingNormal_(w, { nonlinearity: "relu" });
  w.mul_(scale);
  if (b !== null) st.nn.init.constant_(b, bias);
};
const glorotInit = (scale: number) => (w: st.Tensor, b: st.Tensor | null): void => {
  st.nn.init.xavierNormal_(w, st.nn.init.calculateGain("tanh"));
  w.mul_(scale);
  if (b !== null) st.nn.init.zeros_(b);
};

const deep = (layers: number, width: number): number[] => [64, ...Array<number>(layers - 1).fill(width), 10];

/** A scenario and its control from one builder: `broken` true runs the broken variant. */
function pair(name: string, control: string, expect: Expectation, build: (broken: boolean, seed: number) => st.stability.Monitor, epochBased = false): Scenario[] {
  const mk = (broken: boolean): Scenario => ({
    name: broken ? name : control, expect: broken ? expect : null, epochBased,
    run: (seed) => { st.manualSeed(seed); return build(broken, seed); },
  });
  return [mk(true), mk(false)];
}

/** Every scenario, each followed by its control. */
export const SCENARIOS: Scenario[] = [
  ...pair("sigmoid-10-layers-default-init", "relu-10-layers-he-init", { label: "vanishing-gradients", layer: "0" },
    (broken, seed) => train(seed, broken ? mlp(deep(10, 32), "sigmoid") : mlp(deep(10, 32), "relu", heInit(1)), { lr: 0.05, momentum: 0.9 })),
  ...pair("sgd-lr-100", "sgd-lr-0.1", { label: "divergence", layer: null },
    (broken, seed) => train(seed, mlp([64, 32, 10], "relu", heInit(1)), { lr: broken ? 100 : 0.1 })),
  ...pair("sgd-lr-10", "sgd-lr-0.1-momentum", { label: "oscillating-loss", layer: null },
    (broken, seed) => train(seed, mlp([64, 10], "none"), { lr: broken ? 10 : 0.1, momentum: broken ? 0 : 0.9 })),
  ...pair("relu-he-init-x4", "relu-he-init-x1", { label: "exploding-gradients", layer: "0" },
    (broken, seed) => train(seed, mlp(deep(6, 32), "relu", heInit(broken ? 4 : 1)), { lr: 0.01, momentum: 0.9 })),
  ...pair("relu-he-init-x100", "relu-he-init-x1-adam", { label: "exploding-gradients", layer: "0" },
    (broken, seed) => train(seed, mlp(deep(6, 32), "relu", heInit(broken ? 100 : 1)), { lr: 1e-3, optimizer: "adam" })),
  ...pair("tanh-10-layers-glorot-x10", "tanh-10-layers-glorot", { label: "saturation", layer: "0" },
    (broken, seed) => train(seed, mlp(deep(10, 32), "tanh", glorotInit(broken ? 10 : 1)), { lr: 0.05, momentum: 0.9 })),
  ...pair("relu-bias-minus-5", "relu-bias-0", { label: "dying-relu", layer: "0" },
    (broken, seed) => train(seed, mlp(deep(4, 32), "relu", heInit(1, broken ? -5 : 0)), { lr: 0.05, momentum: 0.9 })),
  ...pair("relu-inputs-x1e4", "relu-inputs-x1", { label: "unnormalized-input", layer: null },
    (broken, seed) => train(seed, mlp([64, 32, 10], "relu", heInit(1)), { lr: 1e-3, optimizer: "adam", inputScale: broken ? 1e4 : 1 })),
  ...pair("sigmoid-inputs-x1e4", "sigmoid-inputs-x1", { label: "saturation", layer: "0" },
    (broken, seed) => train(seed, mlp([64, 32, 10], "sigmoid"), { lr: 1e-2, optimizer: "adam", inputScale: broken ? 1e4 : 1 })),
  ...pair("linear-20-layers-init-x0.1", "linear-20-layers-orthogonal", { label: "slow-convergence", layer: null },
    (broken, seed) => train(seed, mlp(deep(20, 32), "none", broken
      ? (w: st.Tensor) => { w.mul_(0.1); }
      : (w: st.Tensor, b: st.Tensor | null) => { st.nn.init.orthogonal_(w); if (b !== null) st.nn.init.zeros_(b); }), { lr: 0.01, momentum: 0.9 })),
];

/**
 * Full-batch gradient descent on linear regression (digits pixels → digit value / 10, MSE), whose
 * Hessian is constant: λ_max from `st.stability.sharpness`, lr = `factor` × 2/λ_max. Just above 2/λ
 * the error along the sharpest direction flips sign and grows every step.
 */
function edgeOfStability(seed: number, factor: number): st.stability.Monitor {
  const { x, y } = digits();
  const yt = y.float().div(10).reshape([-1, 1]);
  const net = new st.nn.Sequential(new st.nn.Linear(64, 1));
  const params = net.parameters();
  const mse = new st.nn.MSELoss();
  const lossFn = (): st.Tensor => mse.call(net.call(x), yt);
  const lambdaMax = st.stability.sharpness(lossFn, params, { iters: 100, tol: 1e-7, seed }).lambdaMax;
  const opt = new st.optim.SGD(params, { lr: (factor * 2) / lambdaMax });
  // sharpness is constant for a quadratic: measured once, at the first check
  const mon = st.stability.monitor({ every: EVERY, sharpness: () => lambdaMax, sharpnessEvery: 1000 }).attach(net, opt);
  for (let s = 0; s < STEPS; s++) {
    opt.zeroGrad();
    const loss = lossFn();
    loss.backward();
    opt.step();
    mon.step(loss);
  }
  return mon;
}

/**
 * A wide Keras MLP trained with `fit` and the monitor as a callback. Overfitting: 100 training
 * samples, 150 epochs at lr 1e-2, no stopping. Control: the full training split with EarlyStopping.
 */
async function overfit(seed: number, broken: boolean): Promise<st.stability.Monitor> {
  const { xFull, yFull } = digits();
  const xVal = xFull.slice(1400);
  const yVal = yFull.slice(1400);
  const n = broken ? 100 : 1400;
  const model = st.sequential([
    st.layers.dense({ units: 256, activation: "relu", inputShape: [64] }),
    st.layers.dense({ units: 10, activation: "softmax" }),
  ]);
  model.compile({ optimizer: { name: "adam", learningRate: broken ? 1e-2 : 3e-3 }, loss: "sparseCategoricalCrossentropy" });
  const mon = st.stability.monitor({ every: EVERY });
  const callbacks: st.callbacks.Callback[] = [mon];
  if (!broken) callbacks.push(new st.callbacks.EarlyStopping({ monitor: "val_loss", patience: 2, restoreBestWeights: true }));
  await model.fit(xFull.slice(0, n), yFull.slice(0, n), {
    epochs: broken ? 150 : 30, batchSize: broken ? 100 : 64, validationData: [xVal, yVal], verbose: 0, callbacks, shuffle: true,
  });
  return mon;
}

export interface AsyncScenario extends Omit<Scenario, "run"> {
  run(seed: number): st.stability.Monitor | Promise<st.stability.Monitor>;
}

/** The scenarios above plus the edge-of-stability and fit-based overfitting pairs. */
export const ALL_SCENARIOS: AsyncScenario[] = [
  ...SCENARIOS,
  ...pair("full-batch-gd-lr-1.05x-2-over-sharpness", "full-batch-gd-lr-0.9x-2-over-sharpness", { label: "edge-of-stability", layer: null },
    (broken, seed) => edgeOfStability(seed, broken ? 1.05 : 0.9)),
  {
    name: "wide-mlp-100-samples-150-epochs", expect: { label: "overfitting", layer: null }, epochBased: true,
    run: (seed) => { st.manualSeed(seed); return overfit(seed, true); },
  },
  {
    name: "wide-mlp-full-data-early-stopping", expect: null, epochBased: true,
    run: (seed) => { st.manualSeed(seed); return overfit(seed, false); },
  },
];
