// A training recipe that cures can be applied to: a plain-data configuration of an MLP and its
// training (`RecipeConfig`), and `mlpRecipe`, which runs a short trial of it under the monitor.
// `tryCures` changes one field of the configuration per cure and reruns the trial, so a remedy is
// judged on the same data, seed and number of steps as the broken run it should fix.

import { ValueError } from "../core/errors.js";
import { noGrad } from "../core/grad-mode.js";
import { Generator, manualSeed } from "../core/random.js";
import { randint } from "../core/random-creation.js";
import type { Tensor } from "../core/tensor.js";
import type { AnyModule } from "../nn/module.js";
import { Linear } from "../nn/layers/linear.js";
import { LayerNorm } from "../nn/layers/layer-norm.js";
import { Sequential } from "../nn/layers/containers.js";
import { ELU, GELU, LeakyReLU, ReLU, SELU, Sigmoid, Softplus, Tanh } from "../nn/layers/activation.js";
import { CrossEntropyLoss, MSELoss } from "../nn/losses/index.js";
import * as init from "../nn/init.js";
import { clipGradNorm } from "../nn/utils/clip-grad.js";
import { Adam } from "../optim/adam.js";
import { RMSprop } from "../optim/rmsprop.js";
import { SGD } from "../optim/sgd.js";
import type { Optimizer } from "../optim/optimizer.js";
import { Monitor, type MonitorOptions } from "./monitor.js";
import type { Diagnosis, MonitorSnapshot } from "./types.js";

/** The activations a recipe may use. */
export const RECIPE_ACTIVATIONS = ["relu", "leaky-relu", "gelu", "elu", "selu", "softplus", "tanh", "sigmoid", "linear"] as const;
/** One of `RECIPE_ACTIVATIONS`. */
export type RecipeActivation = (typeof RECIPE_ACTIVATIONS)[number];

/** An MLP and how it is trained, as plain data (so a cure is a change of one field). */
export interface RecipeConfig {
  /** Hidden layer widths; the input and output sizes come from the data. */
  layers: number[];
  /** Activation after each hidden layer. */
  activation: RecipeActivation;
  /**
   * "default" (PyTorch's Linear init), "glorot-uniform" (Keras's dense default: Glorot uniform, zero
   * bias — what `steady train` builds), "he" (Kaiming normal) or "xavier" (Glorot normal with the
   * activation's gain).
   */
  init: "default" | "glorot-uniform" | "he" | "xavier";
  /** Factor applied to every weight matrix after init (1 = as initialized). */
  initScale: number;
  /** Constant every hidden bias starts at (null: the initializer's bias). */
  biasInit: number | null;
  /** The optimizer. */
  optimizer: "sgd" | "adam" | "rmsprop";
  /** Its learning rate. */
  lr: number;
  /** Heavy-ball momentum for SGD (default 0). */
  momentum: number;
  /** Clip the global gradient norm to this (null: no clipping). */
  clipnorm: number | null;
  /** Insert a LayerNorm after every hidden Linear (before the activation). */
  normalize: boolean;
  /** Factor the inputs are multiplied by (1 = as given). */
  inputScale: number;
  /** Standardize each input feature (z-scores over the data) after scaling. */
  standardize: boolean;
  /** L2 weight decay (0 = none). */
  weightDecay: number;
  /** Samples per batch. */
  batchSize: number;
  /** Seed of init and batch order. */
  seed: number;
}

/** Defaults of a recipe configuration (a healthy small ReLU MLP trained with Adam). */
export const DEFAULT_RECIPE: Readonly<RecipeConfig> = Object.freeze({
  layers: [64, 32], activation: "relu", init: "default", initScale: 1, biasInit: null, optimizer: "adam", lr: 0.01,
  momentum: 0, clipnorm: null, normalize: false, inputScale: 1, standardize: false, weightDecay: 0, batchSize: 64, seed: 0,
} as RecipeConfig);

/** The outcome of one short trial. */
export interface TrialResult {
  /** Loss of every step (NaN/Infinity kept). */
  losses: number[];
  /** Loss of the first step. */
  firstLoss: number;
  /** Mean loss of the last 5 steps (Infinity when one of them is not finite). */
  finalLoss: number;
  /** What the monitor diagnosed during the trial. */
  diagnoses: Diagnosis[];
  /** The monitor's checks during the trial. */
  snapshots: MonitorSnapshot[];
  /** The loss became non-finite or ended above 3× its first value. */
  diverged: boolean;
}

/** Something `tryCures` can rerun: a base configuration and a way to run a trial of any configuration. */
export interface Recipe {
  /** The base configuration. */
  config: RecipeConfig;
  /** Runs a short trial of `cfg` for `steps` optimizer steps. */
  run(cfg: RecipeConfig, opts: { steps: number }): TrialResult | Promise<TrialResult>;
}

/** Data of a recipe: features [n, d] and int32 class indices (classification) or float [n, 1] targets. */
export interface RecipeData {
  /** Features [n, d]. */
  x: Tensor;
  /** Targets: int32 classes [n] or float [n, 1]. */
  y: Tensor;
  /** What kind of targets `y` holds. */
  task: "classification" | "regression";
  /** Number of classes (classification). */
  numClasses?: number;
}

function activationModule(a: RecipeActivation): AnyModule | null {
  switch (a) {
    case "relu": return new ReLU();
    case "leaky-relu": return new LeakyReLU(0.01);
    case "gelu": return new GELU();
    case "elu": return new ELU();
    case "selu": return new SELU();
    case "softplus": return new Softplus();
    case "tanh": return new Tanh();
    case "sigmoid": return new Sigmoid();
    case "linear": return null;
  }
}

function gainOf(a: RecipeActivation): number {
  return a === "tanh" ? init.calculateGain("tanh") : a === "sigmoid" ? 1 : a === "linear" ? 1 : init.calculateGain("relu");
}

/**
 * Builds the network of `cfg` for `inputs` features and `outputs` outputs: Linear layers of widths
 * `cfg.layers` with (LayerNorm and) the activation between them; module paths "0", "1", … in order.
 * @example
 * const net = st.stability.buildRecipeNet({ ...st.stability.DEFAULT_RECIPE, layers: [16] }, 4, 3);
 * net.call(st.zeros([2, 4])).shape; // [2, 3]
 */
export function buildRecipeNet(cfg: RecipeConfig, inputs: number, outputs: number): Sequential {
  const sizes = [inputs, ...cfg.layers, outputs];
  const mods: AnyModule[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const lin = new Linear(sizes[i]!, sizes[i + 1]!);
    const hidden = i + 2 < sizes.length;
    noGrad(() => {
      if (cfg.init === "he") { init.kaimingNormal_(lin.weight, { nonlinearity: "relu" }); if (lin.bias) init.zeros_(lin.bias); }
      if (cfg.init === "glorot-uniform") { init.xavierUniform_(lin.weight); if (lin.bias) init.zeros_(lin.bias); }
      if (cfg.init === "xavier") { init.xavierNormal_(lin.weight, gainOf(cfg.activation)); if (lin.bias) init.zeros_(lin.bias); }
      if (cfg.initScale !== 1) lin.weight.mul_(cfg.initScale);
      if (hidden && cfg.biasInit !== null && lin.bias) init.constant_(lin.bias, cfg.biasInit);
    });
    mods.push(lin);
    if (!hidden) break;
    if (cfg.normalize) mods.push(new LayerNorm([sizes[i + 1]!]));
    const act = activationModule(cfg.activation);
    if (act) mods.push(act);
  }
  return new Sequential(...mods);
}

function makeOptimizer(cfg: RecipeConfig, params: Tensor[]): Optimizer {
  if (cfg.optimizer === "adam") return new Adam(params, { lr: cfg.lr, weightDecay: cfg.weightDecay });
  if (cfg.optimizer === "rmsprop") return new RMSprop(params, { lr: cfg.lr, weightDecay: cfg.weightDecay });
  return new SGD(params, { lr: cfg.lr, momentum: cfg.momentum, weightDecay: cfg.weightDecay });
}

/**
 * Scaled (and, with `standardize`, z-scored) inputs of `cfg`.
 * @example
 * const cfg = { ...st.stability.DEFAULT_RECIPE, inputScale: 10 };
 * st.stability.recipeInputs(cfg, st.ones([2, 3])); // every entry 10
 */
export function recipeInputs(cfg: RecipeConfig, x: Tensor): Tensor {
  let xs = cfg.inputScale === 1 ? x : x.mul(cfg.inputScale);
  if (cfg.standardize) xs = xs.sub(xs.mean(0)).div(xs.std(0).add(1e-8));
  return xs;
}

function checkConfig(cfg: RecipeConfig): void {
  const who = "mlpRecipe";
  if (!Array.isArray(cfg.layers) || cfg.layers.some((w) => !Number.isInteger(w) || w < 1)) throw new ValueError(`${who}: layers must be positive integers, got ${JSON.stringify(cfg.layers)}`);
  if (!RECIPE_ACTIVATIONS.includes(cfg.activation)) throw new ValueError(`${who}: activation must be one of ${RECIPE_ACTIVATIONS.join(", ")}, got "${cfg.activation}"`);
  if (!(cfg.lr > 0)) throw new ValueError(`${who}: lr must be positive, got ${cfg.lr}`);
  if (!(cfg.initScale > 0) || !(cfg.inputScale > 0)) throw new ValueError(`${who}: initScale and inputScale must be positive, got ${cfg.initScale} and ${cfg.inputScale}`);
  if (!Number.isInteger(cfg.batchSize) || cfg.batchSize < 1) throw new ValueError(`${who}: batchSize must be a positive integer, got ${cfg.batchSize}`);
}

/**
 * A recipe that trains the MLP of a `RecipeConfig` on `data` for `steps` mini-batch steps under the
 * monitor (`st.stability.monitor`, checking every `every` steps) and returns what it diagnosed.
 * Mini-batches are drawn with a generator seeded from `cfg.seed`, and `manualSeed(cfg.seed)` runs
 * before the network is built, so two trials differ only by their configuration.
 *
 * @example
 * const x = st.randn([256, 8]);
 * const y = x.sum(1).gt(0).int();
 * const recipe = st.stability.mlpRecipe({ x, y, task: "classification", numClasses: 2 }, { activation: "sigmoid", layers: Array(9).fill(32) });
 * const trial = await recipe.run(recipe.config, { steps: 30 });
 * console.log(trial.finalLoss, trial.diagnoses.map((d) => d.label)); // vanishing-gradients expected
 */
export function mlpRecipe(data: RecipeData, config: Partial<RecipeConfig> = {}, monitorOptions: MonitorOptions = { every: 5 }): Recipe {
  const base: RecipeConfig = { ...DEFAULT_RECIPE, ...config, layers: [...(config.layers ?? DEFAULT_RECIPE.layers)] };
  checkConfig(base);
  const n = data.x.shape[0]!;
  if (data.x.ndim !== 2 || data.y.shape[0] !== n) throw new ValueError(`mlpRecipe: expected x [n, features] and y with n rows, got x [${data.x.shape.join(", ")}] and y [${data.y.shape.join(", ")}]`);
  const classify = data.task === "classification";
  const outputs = classify ? data.numClasses ?? 0 : data.y.shape[1] ?? 1;
  if (!(outputs > 0)) throw new ValueError("mlpRecipe: a classification recipe needs numClasses");
  return {
    config: base,
    run(cfg: RecipeConfig, opts: { steps: number }): TrialResult {
      checkConfig(cfg);
      manualSeed(cfg.seed);
      const net = buildRecipeNet(cfg, data.x.shape[1]!, outputs);
      const opt = makeOptimizer(cfg, net.parameters());
      const lossFn = classify ? new CrossEntropyLoss() : new MSELoss();
      const mon = new Monitor(monitorOptions).attach(net, opt);
      const xs = recipeInputs(cfg, data.x);
      const gen = new Generator(1000 + cfg.seed);
      const batch = Math.min(cfg.batchSize, n);
      const losses: number[] = [];
      for (let s = 0; s < opts.steps; s++) {
        const idx = randint(0, n, [batch], { generator: gen });
        const xb = xs.indexSelect(0, idx);
        const yb = data.y.indexSelect(0, idx);
        opt.zeroGrad();
        const loss = lossFn.call(net.call(xb), yb) as Tensor;
        const l = loss.item() as number;
        losses.push(l);
        // a non-finite loss has no useful gradient; the monitor still records the step
        if (Number.isFinite(l)) {
          loss.backward();
          if (cfg.clipnorm !== null) clipGradNorm(net.parameters(), cfg.clipnorm);
          opt.step();
        }
        mon.step(loss);
      }
      mon.detach();
      const tail = losses.slice(-5);
      const finalLoss = tail.every(Number.isFinite) ? tail.reduce((a, b) => a + b, 0) / tail.length : Infinity;
      const firstLoss = losses[0] ?? NaN;
      return { losses, firstLoss, finalLoss, diagnoses: [...mon.diagnoses], snapshots: [...mon.snapshots], diverged: !Number.isFinite(finalLoss) || finalLoss > 3 * firstLoss };
    },
  };
}
