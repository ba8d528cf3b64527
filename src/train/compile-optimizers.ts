// Optimizers for `model.compile`: Keras names with Keras's documented defaults (adam lr 1e-3 and
// epsilon 1e-7, sgd lr 0.01, rmsprop rho 0.9, …), built as our PyTorch-exact optimizers; or an
// optimizer object, or a factory of one.

import { ValueError } from "../core/errors.js";
import type { Tensor } from "../core/tensor.js";
import { Adadelta } from "../optim/adadelta.js";
import { Adagrad } from "../optim/adagrad.js";
import { Adam } from "../optim/adam.js";
import { Adamax } from "../optim/adamax.js";
import { AdamW } from "../optim/adamw.js";
import { NAdam } from "../optim/nadam.js";
import { Optimizer } from "../optim/optimizer.js";
import { RMSprop } from "../optim/rmsprop.js";
import { SGD } from "../optim/sgd.js";

/** An optimizer by Keras name with Keras-named settings, e.g. `{ name: "adam", learningRate: 1e-2 }`. */
export interface NamedOptimizer {
  /** Keras's name of the optimizer: "adam", "sgd", "rmsprop", "adamw", "adagrad", "adadelta", "adamax" or "nadam". */
  name: string;
  /** Keras's `learning_rate` (`lr` works too). */
  learningRate?: number;
  [option: string]: unknown;
}

/**
 * What `compile({optimizer})` accepts: a Keras name ("adam"), a name with settings, one of our
 * optimizers (built on `model.parameters()`), or a function making one from the parameters.
 */
export type OptimizerSpec = string | NamedOptimizer | Optimizer | ((params: Tensor[]) => Optimizer);

type Ctor = new (params: Tensor[], opts: Record<string, unknown>) => Optimizer;

interface Entry {
  ctor: Ctor;
  /** Keras's documented defaults, in our option names. */
  defaults: Record<string, unknown>;
}

// Keras 3 defaults (keras.io/api/optimizers). The update rules are PyTorch's (ε added to √v̂),
// which differ from Keras's ε-hat placement by O(ε).
const KERAS: Record<string, Entry> = {
  sgd: { ctor: SGD as unknown as Ctor, defaults: { lr: 0.01, momentum: 0, nesterov: false } },
  adam: { ctor: Adam as unknown as Ctor, defaults: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-7, amsgrad: false } },
  adamw: { ctor: AdamW as unknown as Ctor, defaults: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-7, weightDecay: 0.004, amsgrad: false } },
  rmsprop: { ctor: RMSprop as unknown as Ctor, defaults: { lr: 1e-3, alpha: 0.9, eps: 1e-7, momentum: 0, centered: false } },
  adagrad: { ctor: Adagrad as unknown as Ctor, defaults: { lr: 1e-3, initialAccumulatorValue: 0.1, eps: 1e-7 } },
  adadelta: { ctor: Adadelta as unknown as Ctor, defaults: { lr: 1e-3, rho: 0.95, eps: 1e-7 } },
  adamax: { ctor: Adamax as unknown as Ctor, defaults: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-7 } },
  nadam: { ctor: NAdam as unknown as Ctor, defaults: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-7 } },
};

/** Our class names (Optimizer.name) → the Keras name, so a saved compile config can be rebuilt. */
const BY_CLASS: Record<string, string> = {
  SGD: "sgd", Adam: "adam", AdamW: "adamw", RMSprop: "rmsprop", Adagrad: "adagrad", Adadelta: "adadelta", Adamax: "adamax", NAdam: "nadam",
};

/** Keras option names → ours (`beta1`/`beta2` are merged into `betas`). */
const RENAME: Record<string, string> = { learningRate: "lr", learning_rate: "lr", epsilon: "eps", weight_decay: "weightDecay", initial_accumulator_value: "initialAccumulatorValue" };

function kerasOptions(name: string, given: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let beta1: unknown, beta2: unknown;
  for (const [k, v] of Object.entries(given)) {
    if (k === "name" || v === undefined) continue;
    if (k === "beta1" || k === "beta_1") beta1 = v;
    else if (k === "beta2" || k === "beta_2") beta2 = v;
    // RMSprop's Keras `rho` is PyTorch's `alpha`
    else if (k === "rho" && name === "rmsprop") out.alpha = v;
    else out[RENAME[k] ?? k] = v;
  }
  if (beta1 !== undefined || beta2 !== undefined) {
    const d = (KERAS[name]!.defaults.betas as number[] | undefined) ?? [0.9, 0.999];
    out.betas = [beta1 ?? d[0], beta2 ?? d[1]];
  }
  return out;
}

/** The optimizer `spec` names, built on `params`, and the JSON config that rebuilds it. */
export function makeOptimizer(spec: OptimizerSpec, params: Tensor[]): { optimizer: Optimizer; config: NamedOptimizer } {
  if (spec instanceof Optimizer) {
    const mine = new Set(params);
    const theirs = spec.paramGroups.flatMap((g) => g.params);
    if (theirs.length !== mine.size || theirs.some((p) => !mine.has(p))) {
      throw new ValueError(`Model.compile: the optimizer ${spec.name} holds ${theirs.length} tensors that are not exactly this model's ${mine.size} parameters (build it on model.parameters(), or pass its name: "adam")`);
    }
    return { optimizer: spec, config: configOf(spec) };
  }
  if (typeof spec === "function") {
    const optimizer = spec(params);
    if (!(optimizer instanceof Optimizer)) throw new ValueError(`Model.compile: the optimizer factory returned ${typeof optimizer} (expected an st.optim optimizer)`);
    return makeOptimizer(optimizer, params);
  }
  const named: NamedOptimizer = typeof spec === "string" ? { name: spec } : spec;
  const key = typeof named?.name === "string" ? named.name.toLowerCase() : "";
  const entry = KERAS[key];
  if (entry === undefined) {
    throw new ValueError(`Model.compile: unknown optimizer ${JSON.stringify(typeof spec === "string" ? spec : named?.name)} (expected one of ${Object.keys(KERAS).join(", ")}, an st.optim optimizer, or a function of the parameters)`);
  }
  const optimizer = new entry.ctor(params, { ...entry.defaults, ...kerasOptions(key, named) });
  return { optimizer, config: configOf(optimizer) };
}

/** The JSON config of an optimizer: its Keras name and its first group's settings in our names. */
export function configOf(opt: Optimizer): NamedOptimizer {
  // an optimizer class without a Keras name keeps its class name; loading it then fails clearly
  const out: NamedOptimizer = { name: BY_CLASS[opt.name] ?? opt.name };
  for (const [k, v] of Object.entries(opt.paramGroups[0]!)) {
    if (k === "params" || k === "initialLr" || typeof v === "object" && !Array.isArray(v)) continue;
    out[k] = v;
  }
  return out;
}

/** The learning rate of the first parameter group, when it is a number. */
export function currentLr(opt: Optimizer): number | undefined {
  const lr = opt.paramGroups[0]?.lr;
  return typeof lr === "number" ? lr : undefined;
}
