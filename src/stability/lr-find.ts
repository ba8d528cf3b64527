// The learning-rate range test (Smith 2017; fastai's lr_find): train for a few steps while the
// learning rate grows exponentially from startLr to endLr, record the smoothed loss, stop when it
// diverges, and suggest a rate from the curve. The model's weights and optimizer state are restored
// afterwards, so the test leaves no trace on the training it is meant to prepare.

import { ValueError } from "../core/errors.js";
import { noGrad } from "../core/grad-mode.js";
import type { Tensor } from "../core/tensor.js";
import type { Optimizer, OptimizerStateDict } from "../optim/optimizer.js";
import type { Model } from "../train/model.js";

/** One step of a hand-written loop at learning rate `lr` on `batch`; returns the batch loss. */
export type LrStepFn<B> = (batch: B, lr: number) => number;

/** Options of `lrFind`. */
export interface LrFindOptions {
  /** First learning rate (default 1e-7). */
  startLr?: number;
  /** Last learning rate (default 10). */
  endLr?: number;
  /** Number of steps, one per learning rate (default 100). */
  steps?: number;
  /** Exponential smoothing of the loss, β in s ← β·s + (1−β)·loss, bias-corrected (default 0.98). */
  smoothing?: number;
  /** Stop once the smoothed loss exceeds divergeFactor × its minimum, or is not finite (default 4). */
  divergeFactor?: number;
  /** Mini-batch size when `data` is `{x, y}` for a Model (default 32). */
  batchSize?: number;
  /**
   * For a step function: the tensors to restore afterwards (their values are copied before and
   * written back after), and the optimizer whose state is restored.
   */
  params?: readonly Tensor[];
  /** The optimizer to use (its state is restored after); default SGD over `params`. */
  optimizer?: Optimizer;
}

/** What `lrFind` returns. */
export interface LrFindResult {
  /** Learning rates tried, in order (up to the divergence stop). */
  lrs: number[];
  /** Smoothed, bias-corrected loss at each rate. */
  losses: number[];
  /** Raw batch loss at each rate. */
  rawLosses: number[];
  /** The suggested learning rate (the valley rule; steepest when the valley is undefined). */
  suggestion: number;
  /** Which rule gave `suggestion`. */
  rule: "valley" | "steepest";
  /** The learning rate each rule suggests. */
  suggestions: {
    /** Where the smoothed loss falls fastest per decade (minimum of d loss / d log lr). */
    steepest: number;
    /** fastai's valley: the middle of the longest descending stretch before the minimum. */
    valley: number;
  };
  /** True when the run stopped because the loss diverged. */
  diverged: boolean;
}

/**
 * The learning-rate range test. The rate at step i is startLr·(endLr/startLr)^(i/(steps−1)); the
 * loss is smoothed by an exponential moving average (bias-corrected like Adam's moments) and the run
 * stops once the smoothed loss exceeds `divergeFactor` × its minimum or becomes non-finite.
 *
 * Suggestions: **steepest** — the rate where the smoothed loss decreases fastest against log(lr),
 * searched from the first tenth of the curve up to the loss minimum; **valley** (fastai) — two thirds down the longest decreasing stretch
 * of the curve. Both stay below the divergence point, so for gradient descent on a quadratic with
 * curvature λ they lie below 2/λ.
 *
 * `target` is a compiled `Model` (data `{x, y}`, cycled in mini-batches of `batchSize`, each step a
 * `trainOnBatch` with every param group's lr set) or a step function `(batch, lr) => loss` (data:
 * an array of batches, cycled; pass `params` and `optimizer` to have them restored). The weights
 * and the optimizer state (moments, step counts, learning rates) are bit-identical afterwards.
 *
 * @example
 * const x = st.randn([128, 4]);
 * const y = x.sum(1).gt(0).int();
 * const model = st.sequential([st.layers.dense({ units: 2, activation: "softmax", inputShape: [4] })]);
 * model.compile({ optimizer: { name: "sgd", learningRate: 0.1 }, loss: "sparseCategoricalCrossentropy" });
 * const r = await st.stability.lrFind(model, { x, y }, { startLr: 1e-4, endLr: 10, steps: 40 });
 * console.log(r.suggestion, r.suggestions.steepest); // the weights are as before the test
 */
export async function lrFind<B>(
  target: Model | LrStepFn<B>,
  data: { x: Tensor; y: Tensor } | readonly B[],
  opts: LrFindOptions = {},
): Promise<LrFindResult> {
  const startLr = opts.startLr ?? 1e-7;
  const endLr = opts.endLr ?? 10;
  const steps = opts.steps ?? 100;
  const beta = opts.smoothing ?? 0.98;
  const divergeFactor = opts.divergeFactor ?? 4;
  if (!(startLr > 0) || !(endLr > startLr) || !Number.isFinite(endLr)) {
    throw new ValueError(`lrFind: expected 0 < startLr < endLr < ∞, got startLr ${startLr}, endLr ${endLr}`);
  }
  if (!Number.isInteger(steps) || steps < 2) throw new ValueError(`lrFind: steps must be an integer ≥ 2, got ${steps}`);
  if (!(beta >= 0 && beta < 1)) throw new ValueError(`lrFind: smoothing must be in [0, 1), got ${beta}`);
  if (!(divergeFactor > 1)) throw new ValueError(`lrFind: divergeFactor must be > 1, got ${divergeFactor}`);

  const { step, restore } = typeof target === "function" ? fromStepFn(target, data, opts) : fromModel(target, data, opts);
  const lrs: number[] = [];
  const losses: number[] = [];
  const rawLosses: number[] = [];
  let avg = 0;
  let best = Infinity;
  let diverged = false;
  try {
    for (let i = 0; i < steps; i++) {
      const lr = startLr * Math.pow(endLr / startLr, i / (steps - 1));
      const raw = await step(i, lr);
      avg = beta * avg + (1 - beta) * raw;
      const smooth = avg / (1 - Math.pow(beta, i + 1));
      if (!Number.isFinite(smooth) || (i > 0 && smooth > divergeFactor * best)) {
        diverged = true;
        break;
      }
      lrs.push(lr);
      losses.push(smooth);
      rawLosses.push(raw);
      best = Math.min(best, smooth);
    }
  } finally {
    restore();
  }
  if (lrs.length < 2) {
    throw new ValueError(`lrFind: the loss diverged within the first ${lrs.length + 1} steps (from lr ${startLr}); lower startLr`);
  }
  const steepest = steepestRate(lrs, losses);
  const valley = valleyRate(lrs, losses);
  const rule = Number.isFinite(valley) ? "valley" : "steepest";
  return { lrs, losses, rawLosses, suggestion: rule === "valley" ? valley : steepest, rule, suggestions: { steepest, valley }, diverged };
}

/**
 * The rate where d(loss)/d(log lr) is most negative, searched up to the loss minimum: past it the
 * run is heading to divergence and a lucky drop there is no rate to train at.
 */
function steepestRate(lrs: number[], losses: number[]): number {
  let bestI = 0;
  let bestSlope = Infinity;
  let minI = 0;
  for (let i = 1; i < losses.length; i++) if (losses[i]! < losses[minI]!) minI = i;
  // like fastai, skip the first points: the moving average is still settling there
  const skip = Math.min(Math.floor(losses.length / 10), Math.max(0, minI - 1));
  for (let i = skip + 1; i <= Math.max(1, minI); i++) {
    const slope = (losses[i]! - losses[i - 1]!) / (Math.log(lrs[i]!) - Math.log(lrs[i - 1]!));
    if (slope < bestSlope) { bestSlope = slope; bestI = i - 1; }
  }
  return lrs[bestI]!;
}

/**
 * fastai's valley rule: the longest run of decreasing loss (longest decreasing subsequence ending
 * anywhere before the minimum), and the rate two thirds of the way down it.
 */
function valleyRate(lrs: number[], losses: number[]): number {
  const n = losses.length;
  const len = new Array<number>(n).fill(1);
  const from = Array.from({ length: n }, (_, i) => i);
  let maxI = 0;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (losses[i]! < losses[j]! && len[j]! + 1 > len[i]!) { len[i] = len[j]! + 1; from[i] = from[j]!; }
    }
    if (len[i]! > len[maxI]!) maxI = i;
  }
  const start = from[maxI]!;
  if (maxI === start) return NaN;
  return lrs[Math.round(start + (2 / 3) * (maxI - start))]!;
}

interface Runner {
  step(i: number, lr: number): Promise<number> | number;
  restore(): void;
}

function fromStepFn<B>(fn: LrStepFn<B>, data: unknown, opts: LrFindOptions): Runner {
  if (!Array.isArray(data) || data.length === 0) throw new ValueError("lrFind: with a step function, data must be a non-empty array of batches (cycled)");
  const batches = data as readonly B[];
  const params = opts.params ?? [];
  const saved = params.map((p) => p.clone());
  const optState: OptimizerStateDict | null = opts.optimizer ? opts.optimizer.stateDict() : null;
  return {
    step: (i, lr) => {
      const loss = fn(batches[i % batches.length]!, lr);
      if (typeof loss !== "number") throw new ValueError(`lrFind: the step function must return the batch loss as a number, got ${typeof loss}`);
      return loss;
    },
    restore: () => {
      noGrad(() => params.forEach((p, i) => p.copy_(saved[i]!)));
      if (optState) opts.optimizer!.loadStateDict(optState);
    },
  };
}

function fromModel(model: Model, data: unknown, opts: LrFindOptions): Runner {
  if (Array.isArray(data) || typeof data !== "object" || data === null || !("x" in data) || !("y" in data)) {
    throw new ValueError("lrFind: with a Model, data must be {x, y} tensors");
  }
  const { x, y } = data as { x: Tensor; y: Tensor };
  if (model.compiled === null) throw new ValueError("lrFind: the model is not compiled (call model.compile({optimizer, loss}) first)");
  const n = x.shape[0]!;
  if (y.shape[0] !== n) throw new ValueError(`lrFind: x has ${n} rows but y has ${y.shape[0]}`);
  if (model.optimizer === null) {
    // an unbuilt model gets its weights and optimizer from the first batch; build them now (same
    // compile options) so that there is something to save and restore
    model.build(x.shape.slice(1), x.dtype === "float64" ? "float64" : x.dtype === "int32" ? "int32" : "float32");
    model.compile(model.compiled.options);
  }
  const opt = model.optimizer!;
  const bs = Math.min(opts.batchSize ?? 32, n);
  const perEpoch = Math.ceil(n / bs);
  const weights = model.getWeights();
  const optState = opt.stateDict();
  const lrs0 = opt.paramGroups.map((g) => g.lr);
  return {
    step: (i, lr) => {
      for (const g of opt.paramGroups) g.lr = lr;
      const b = i % perEpoch;
      const logs = model.trainOnBatch(x.slice(b * bs, Math.min(n, (b + 1) * bs)), y.slice(b * bs, Math.min(n, (b + 1) * bs)));
      return logs.loss ?? NaN;
    },
    restore: () => {
      model.setWeights(weights);
      opt.loadStateDict(optState);
      opt.paramGroups.forEach((g, i) => { g.lr = lrs0[i]!; });
    },
  };
}
