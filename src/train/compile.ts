// What `model.compile` resolves once: the optimizer spec, the loss (and whether it runs on the
// logits of the model's final softmax/sigmoid — the fused, stable form), the metrics and the
// gradient clipping. The fit loop reads this; it holds no training state.

import { ValueError } from "../core/errors.js";
import type { Tensor } from "../core/tensor.js";
import { Sigmoid, Softmax } from "../nn/layers/activation.js";
import { Sequential } from "../nn/layers/containers.js";
import type { AnyModule } from "../nn/module.js";
import { clipGradNorm, clipGradValue } from "../nn/utils/clip-grad.js";
import type { LRScheduler } from "../optim/lr-scheduler/lr-scheduler.js";
import type { Optimizer } from "../optim/optimizer.js";
import { type LossSpec, type ResolvedLoss, resolveLoss } from "./compile-losses.js";
import type { OptimizerSpec } from "./compile-optimizers.js";
import { Dense } from "./layers/dense.js";
import { ActivationLayer } from "./layers/simple.js";
import type { Metric } from "./metric.js";

/** Options of `model.compile`. */
export interface CompileOptions {
  /** "adam", "sgd", "rmsprop", "adamw", "adagrad", "adadelta", "adamax", "nadam" (Keras defaults), `{ name, learningRate, … }`, an optimizer or `(params) => optimizer`. Default "rmsprop" (Keras's). */
  optimizer?: OptimizerSpec;
  /** "sparseCategoricalCrossentropy", "categoricalCrossentropy", "binaryCrossentropy", "mse", "mae", "huber", an st.nn loss module or `(yPred, yTrue) => loss`. */
  loss: LossSpec;
  /** Metric names ("accuracy", "auc", "mae", …) or Metric objects; logged under their names. */
  metrics?: (string | Metric)[];
  /** Clip each parameter's gradient to this L2 norm (Keras's `clipnorm`: per variable). */
  clipnorm?: number;
  /** Clip every gradient element to [−clipvalue, clipvalue]. */
  clipvalue?: number;
  /** Clip the gradients of all parameters together to this global L2 norm. */
  globalClipnorm?: number;
  /** A learning-rate schedule over the compiled optimizer: `(opt) => new st.optim.lrScheduler.StepLR(opt, …)`. */
  lrSchedule?: (optimizer: Optimizer) => LRScheduler;
  /** When `fit` steps the schedule: after every "epoch" (default) or every "batch". */
  lrScheduleInterval?: "epoch" | "batch";
}

/** The model's final probability activation, with the way to compute its input (the logits). */
export interface FinalActivation {
  kind: "softmax" | "sigmoid";
  /** The pre-activation output of the model for `x`. */
  logits(x: Tensor): Tensor;
  /** The activation applied to logits (what the model outputs). */
  activate(z: Tensor): Tensor;
  /** How summary() names it ("layer 1 (Dense, activation softmax)"). */
  where: string;
}

/** The resolved compile options. */
export interface Compiled {
  options: CompileOptions;
  loss: ResolvedLoss;
  /** Non-null when the loss is computed from the logits of the final activation. */
  fused: FinalActivation | null;
  metrics: Metric[];
  metricSpecs: (string | Metric)[];
  /** Whether the model's outputs are logits a binary metric must pass through a sigmoid. */
  outputsAreLogits: boolean;
}

/**
 * The final softmax/sigmoid of a Sequential model (an nn.Softmax over the last dim, nn.Sigmoid,
 * `layers.activation("softmax")`, or a dense layer with that activation), or null.
 */
export function finalActivation(module: AnyModule): FinalActivation | null {
  if (!(module instanceof Sequential) || module.length === 0) return null;
  const n = module.length;
  const last = module.at(n - 1);
  const body = (x: Tensor): Tensor => {
    let y = x;
    for (let i = 0; i < n - 1; i++) y = module.at(i).call(y) as Tensor;
    return y;
  };
  const kindOf = (name: string): "softmax" | "sigmoid" | null => (name === "softmax" || name === "sigmoid" ? name : null);
  let kind: "softmax" | "sigmoid" | null = null;
  let logits: (x: Tensor) => Tensor = body;
  let where = "";
  if (last instanceof Softmax && (last.dim === -1)) { kind = "softmax"; where = `layer ${n - 1} (Softmax)`; }
  else if (last instanceof Sigmoid) { kind = "sigmoid"; where = `layer ${n - 1} (Sigmoid)`; }
  else if (last instanceof ActivationLayer) { kind = kindOf(last.activation); where = `layer ${n - 1} (Activation ${last.activation})`; }
  else if (last instanceof Dense) {
    kind = kindOf(last.activation);
    logits = (x) => last.logits(body(x));
    where = `layer ${n - 1} (Dense, activation ${last.activation})`;
  }
  if (kind === null) return null;
  const activate = kind === "softmax" ? (z: Tensor) => z.softmax(-1) : (z: Tensor) => z.sigmoid();
  return { kind, logits, activate, where };
}

/** Resolves the loss and its fused form; metrics are resolved by the model (they need its output shape). */
export function resolveCompile(module: AnyModule, options: CompileOptions): Omit<Compiled, "metrics"> {
  if (typeof options !== "object" || options === null) throw new ValueError(`Model.compile: expected an options object {optimizer, loss, metrics} (got ${options === null ? "null" : typeof options})`);
  if (options.loss === undefined) throw new ValueError('Model.compile: a loss is required (e.g. loss: "sparseCategoricalCrossentropy")');
  const clips = (["clipnorm", "clipvalue", "globalClipnorm"] as const).filter((k) => options[k] !== undefined);
  if (clips.length > 1) throw new ValueError(`Model.compile: set only one of clipnorm, clipvalue, globalClipnorm (got ${clips.join(" and ")}), as Keras requires`);
  for (const k of clips) {
    const v = options[k];
    if (typeof v !== "number" || !(v > 0) || !Number.isFinite(v)) throw new ValueError(`Model.compile: ${k} must be a finite number > 0 (got ${String(v)})`);
  }
  if (options.lrScheduleInterval !== undefined && options.lrScheduleInterval !== "epoch" && options.lrScheduleInterval !== "batch") {
    throw new ValueError(`Model.compile: lrScheduleInterval must be "epoch" or "batch" (got ${JSON.stringify(options.lrScheduleInterval)})`);
  }
  const loss = resolveLoss(options.loss);
  const final = finalActivation(module);
  const fused = final !== null && loss.logitsOf === final.kind ? final : null;
  // a loss module on logits (CrossEntropyLoss) receives the outputs as logits when not fused
  const outputsAreLogits = fused === null && loss.logitsOf !== null && loss.takes === null;
  return { options, loss, fused, metricSpecs: options.metrics ?? [], outputsAreLogits };
}

/** Applies the compiled gradient clipping (Keras semantics) to `params` before the step. */
export function clipGradients(options: CompileOptions, params: Tensor[]): void {
  if (options.clipnorm !== undefined) for (const p of params) { if (p.grad !== null) clipGradNorm([p], options.clipnorm); }
  else if (options.globalClipnorm !== undefined) clipGradNorm(params, options.globalClipnorm);
  else if (options.clipvalue !== undefined) clipGradValue(params, options.clipvalue);
}
