// The losses as Modules (PyTorch's nn.MSELoss, nn.CrossEntropyLoss, …): each holds its options,
// keeps class/element weights as buffers (state-dict keys `weight`, `pos_weight` like PyTorch, and
// converted by `.to(dtype)`), prints like PyTorch and nests in containers.

import { ValueError } from "../../core/errors.js";
import type { Tensor } from "../../core/tensor.js";
import { Module } from "../module.js";
import { type BCEOptions, type BCEWithLogitsOptions, binaryCrossEntropy, binaryCrossEntropyWithLogits } from "./binary.js";
import { checkClassOptions } from "./class-targets.js";
import { type CrossEntropyOptions, type NLLOptions, crossEntropy, nllLoss } from "./cross-entropy.js";
import { type Reduction, type ReductionOptions, checkReduction } from "./reduction.js";
import { type HuberOptions, type SmoothL1Options, huberLoss, l1Loss, mseLoss, smoothL1Loss } from "./regression.js";

/**
 * Base of the loss modules: `loss.call(input, target)` → the loss tensor.
 * @example
 * class MeanCubedError extends st.nn.Loss {
 *   constructor() { super("MeanCubedError", {}); }
 *   forward(input: st.Tensor, target: st.Tensor) { return input.sub(target).abs().pow(3).mean(); }
 * }
 * new MeanCubedError().call(st.tensor([2], { dtype: "float32" }), st.tensor([0], { dtype: "float32" })); // 8
 */
export abstract class Loss extends Module<[Tensor, Tensor], Tensor> {
  static override readonly tensorInputs: readonly string[] = ["input", "target"];
  /** "mean" (default), "sum" or "none" (per-element losses). */
  readonly reduction: Reduction;

  constructor(name: string, opts: ReductionOptions) {
    super();
    this.reduction = checkReduction(name, opts.reduction);
  }

  /** Non-default settings, so a default loss prints `MSELoss()` exactly like PyTorch. */
  protected settings(extra: [string, unknown, unknown][] = []): string {
    const parts: string[] = [];
    if (this.reduction !== "mean") parts.push(`reduction=${this.reduction}`);
    for (const [k, v, def] of extra) if (v !== def) parts.push(`${k}=${v}`);
    return parts.join(", ");
  }

  override extraRepr(): string {
    return this.settings();
  }
}

/**
 * Mean squared error (see `mseLoss`).
 * @example new st.nn.MSELoss().call(st.tensor([1, 2], { dtype: "float32" }), st.tensor([1, 4], { dtype: "float32" })); // 2
 */
export class MSELoss extends Loss {
  constructor(opts: ReductionOptions = {}) { super("MSELoss", opts); }
  forward(input: Tensor, target: Tensor): Tensor { return mseLoss(input, target, { reduction: this.reduction }); }
}

/**
 * Mean absolute error (see `l1Loss`).
 * @example new st.nn.L1Loss().call(st.tensor([1, 2], { dtype: "float32" }), st.tensor([1, 4], { dtype: "float32" })); // 1
 */
export class L1Loss extends Loss {
  constructor(opts: ReductionOptions = {}) { super("L1Loss", opts); }
  forward(input: Tensor, target: Tensor): Tensor { return l1Loss(input, target, { reduction: this.reduction }); }
}

/** Huber loss with threshold δ (default 1; see `huberLoss`). @example new st.nn.HuberLoss({ delta: 0.5 }) */
export class HuberLoss extends Loss {
  /** δ: the error at which the loss turns from quadratic to linear (default 1). */
  readonly delta: number;
  constructor(opts: HuberOptions = {}) {
    super("HuberLoss", opts);
    this.delta = opts.delta ?? 1;
    if (!(this.delta > 0) || !Number.isFinite(this.delta)) throw new ValueError(`HuberLoss: delta must be a finite number > 0 (got ${this.delta})`);
  }
  forward(input: Tensor, target: Tensor): Tensor { return huberLoss(input, target, { reduction: this.reduction, delta: this.delta }); }
  override extraRepr(): string { return this.settings([["delta", this.delta, 1]]); }
}

/** Smooth L1 loss with quadratic zone β (default 1; see `smoothL1Loss`). @example new st.nn.SmoothL1Loss({ beta: 0.5 }) */
export class SmoothL1Loss extends Loss {
  /** β: the error at which the loss turns from quadratic to linear (default 1). */
  readonly beta: number;
  constructor(opts: SmoothL1Options = {}) {
    super("SmoothL1Loss", opts);
    this.beta = opts.beta ?? 1;
    if (!(this.beta >= 0) || !Number.isFinite(this.beta)) throw new ValueError(`SmoothL1Loss: beta must be a finite number >= 0 (got ${this.beta})`);
  }
  forward(input: Tensor, target: Tensor): Tensor { return smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta }); }
  override extraRepr(): string { return this.settings([["beta", this.beta, 1]]); }
}

/**
 * Cross-entropy from logits with class-index or probability targets, class weights, ignoreIndex
 * and label smoothing (see `crossEntropy`).
 * @example
 * const logits = st.randn([4, 3]);
 * const labels = st.tensor([0, 2, 1, 0]);
 * const lossFn = new st.nn.CrossEntropyLoss({ labelSmoothing: 0.1 });
 * const loss = lossFn.call(logits, labels); // logits [N, C], labels int32 [N]
 */
export class CrossEntropyLoss extends Loss {
  /** Rescaling weight of each class (or element), or null. */
  declare weight: Tensor | null;
  /** Target value that is ignored and does not count in the mean (default −100). */
  readonly ignoreIndex: number;
  /** ε in [0, 1]: the target is (1 − ε)·one-hot + ε/C (default 0). */
  readonly labelSmoothing: number;
  constructor(opts: CrossEntropyOptions = {}) {
    super("CrossEntropyLoss", opts);
    this.registerBuffer("weight", opts.weight ?? null);
    this.ignoreIndex = opts.ignoreIndex ?? -100;
    this.labelSmoothing = opts.labelSmoothing ?? 0;
    checkClassOptions("CrossEntropyLoss", this.ignoreIndex, this.labelSmoothing);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropy(input, target, { reduction: this.reduction, weight: this.weight, ignoreIndex: this.ignoreIndex, labelSmoothing: this.labelSmoothing });
  }
  override extraRepr(): string {
    return this.settings([["ignore_index", this.ignoreIndex, -100], ["label_smoothing", this.labelSmoothing, 0]]);
  }
}

/**
 * Negative log-likelihood of log-probabilities (see `nllLoss`).
 * @example new st.nn.NLLLoss().call(st.tensor([[-0.1, -2.3], [-1.6, -0.2]]), st.tensor([0, 1])); // (0.1 + 0.2)/2 = 0.15
 */
export class NLLLoss extends Loss {
  /** Rescaling weight of each class (or element), or null. */
  declare weight: Tensor | null;
  /** Target value that is ignored and does not count in the mean (default −100). */
  readonly ignoreIndex: number;
  constructor(opts: NLLOptions = {}) {
    super("NLLLoss", opts);
    this.registerBuffer("weight", opts.weight ?? null);
    this.ignoreIndex = opts.ignoreIndex ?? -100;
    checkClassOptions("NLLLoss", this.ignoreIndex, 0);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, { reduction: this.reduction, weight: this.weight, ignoreIndex: this.ignoreIndex });
  }
  override extraRepr(): string { return this.settings([["ignore_index", this.ignoreIndex, -100]]); }
}

/**
 * Binary cross-entropy of probabilities (see `binaryCrossEntropy`).
 * @example new st.nn.BCELoss().call(st.tensor([0.9, 0.2]), st.tensor([1, 0], { dtype: "float32" })); // −(ln 0.9 + ln 0.8)/2 ≈ 0.1643
 */
export class BCELoss extends Loss {
  /** Rescaling weight of each element (broadcast to the input), or null. */
  /** Rescaling weight of each class (or element), or null. */
  declare weight: Tensor | null;
  constructor(opts: BCEOptions = {}) {
    super("BCELoss", opts);
    this.registerBuffer("weight", opts.weight ?? null);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropy(input, target, { reduction: this.reduction, weight: this.weight });
  }
}

/**
 * Binary cross-entropy of logits, stable for any logit, with per-class `posWeight`
 * (see `binaryCrossEntropyWithLogits`).
 * @example
 * const logits = st.randn([4, 1]);
 * const y = st.tensor([[1], [0], [0], [1]], { dtype: "float32" });
 * new st.nn.BCEWithLogitsLoss({ posWeight: st.tensor([3], { dtype: "float32" }) }).call(logits, y);
 */
export class BCEWithLogitsLoss extends Loss {
  /** Rescaling weight of each class (or element), or null. */
  declare weight: Tensor | null;
  /** Weight of positive examples, per class (broadcast over the last dim), or null. */
  declare posWeight: Tensor | null;
  constructor(opts: BCEWithLogitsOptions = {}) {
    super("BCEWithLogitsLoss", opts);
    this.registerBuffer("weight", opts.weight ?? null);
    this.registerBuffer("posWeight", opts.posWeight ?? null);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(input, target, { reduction: this.reduction, weight: this.weight, posWeight: this.posWeight });
  }
}
