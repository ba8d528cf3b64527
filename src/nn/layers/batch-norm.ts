// BatchNorm1d: per-channel normalization with batch statistics in training and running
// statistics in evaluation, over [N, C] or [N, C, L] inputs.

import type { DType } from "../../core/dtype.js";
import { ShapeError, ValueError, fmtShape } from "../../core/errors.js";
import { ones, zeros } from "../../core/creation.js";
import { noGrad } from "../../core/grad-mode.js";
import { add_, fill_ } from "../../autograd/inplace.js";
import type { Tensor } from "../../core/tensor.js";
import { batchNorm } from "../functional/normalization.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { pyBool, pyFloat } from "../repr.js";
import { checkSize, floatDType } from "./linear.js";

/** Options of `BatchNorm1d` (PyTorch's defaults). */
export interface BatchNorm1dOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Weight of each new batch in the running averages (default 0.1); null = cumulative average. */
  momentum?: number | null;
  /** Learn a per-channel scale γ and shift β (default true). */
  affine?: boolean;
  /** Keep running statistics for evaluation (default true); if false, batch statistics are always used. */
  trackRunningStats?: boolean;
  /** Parameter and buffer dtype (default float32). */
  dtype?: DType;
}

/**
 * Batch normalization over the channel dim of [N, C] or [N, C, L] inputs:
 *
 *   y = (x − μ)/√(σ² + ε)·γ + β
 *
 * Training: μ, σ² are the batch's mean and biased variance per channel, and the buffers update as
 * running_mean ← (1 − m)·running_mean + m·μ, running_var ← (1 − m)·running_var + m·σ²·n/(n − 1)
 * (the unbiased variance), m = momentum or 1/num_batches_tracked when momentum is null.
 * Evaluation: the running statistics are used. State-dict keys are PyTorch's: weight, bias,
 * running_mean, running_var, num_batches_tracked.
 *
 * @example
 * const bn = new st.nn.BatchNorm1d(8);
 * bn.call(st.randn([32, 8])); // trains the running statistics
 * bn.eval().call(st.randn([1, 8])); // a batch of one is fine in eval mode
 */
export class BatchNorm1d extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  /** C, the number of features (channels). */
  readonly numFeatures: number;
  /** Added to the variance for stability (default 1e-5). */
  readonly eps: number;
  /** Running-statistics update factor (default 0.1); null for a cumulative average. */
  momentum: number | null;
  /** Whether the layer has learnable γ (weight) and β (bias) (default true). */
  readonly affine: boolean;
  /** Whether running mean/variance are kept and used in eval mode (default true). */
  readonly trackRunningStats: boolean;
  /** γ, shape [C] (initialized to 1), or null without `affine`. */
  weight: Parameter | null;
  /** β, shape [C] (initialized to 0), or null without `affine`. */
  bias: Parameter | null;
  /** Running mean, shape [C] (buffer `running_mean`), or null without `trackRunningStats`. */
  runningMean: Tensor | null;
  /** Running variance (unbiased), shape [C] (buffer `running_var`), or null without `trackRunningStats`. */
  runningVar: Tensor | null;
  /** Number of training batches seen (buffer `num_batches_tracked`, int32). */
  numBatchesTracked: Tensor | null;

  constructor(numFeatures: number, opts: BatchNorm1dOptions = {}) {
    super();
    checkSize("BatchNorm1d", "numFeatures", numFeatures);
    const dtype = floatDType("BatchNorm1d", opts.dtype);
    this.numFeatures = numFeatures;
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum === undefined ? 0.1 : opts.momentum;
    if (!(this.eps >= 0)) throw new ValueError(`BatchNorm1d: eps must be >= 0 (got ${this.eps})`);
    if (this.momentum !== null && !(this.momentum >= 0 && this.momentum <= 1)) {
      throw new ValueError(`BatchNorm1d: momentum must lie in [0, 1] or be null (got ${this.momentum})`);
    }
    this.affine = opts.affine ?? true;
    this.trackRunningStats = opts.trackRunningStats ?? true;
    this.weight = this.affine ? new Parameter(ones([numFeatures], { dtype })) : null;
    this.bias = this.affine ? new Parameter(zeros([numFeatures], { dtype })) : null;
    const track = this.trackRunningStats;
    this.runningMean = this.registerBuffer("runningMean", track ? zeros([numFeatures], { dtype }) : null);
    this.runningVar = this.registerBuffer("runningVar", track ? ones([numFeatures], { dtype }) : null);
    this.numBatchesTracked = this.registerBuffer("numBatchesTracked", track ? zeros([], { dtype: "int32" }) : null);
  }

  /** Resets the running statistics to mean 0, variance 1 and the batch count to 0. */
  resetRunningStats(): void {
    for (const [t, v] of [[this.runningMean, 0], [this.runningVar, 1], [this.numBatchesTracked, 0]] as const) {
      if (t !== null) noGrad(() => fill_(t, v));
    }
  }

  forward(x: Tensor): Tensor {
    const C = this.numFeatures;
    if (x.ndim !== 2 && x.ndim !== 3) {
      throw new ShapeError(`BatchNorm1d(${C}): expected a 2-D [N, C] or 3-D [N, C, L] input (got shape ${fmtShape(x.shape)})`);
    }
    if (x.shape[1] !== C) {
      throw new ShapeError(`BatchNorm1d(${C}): expected num_features=${C} channels in dim 1 (got input shape ${fmtShape(x.shape)})`);
    }
    if (this.training && x.size / C <= 1) {
      throw new ValueError(`BatchNorm1d(${C}): expected more than 1 value per channel when training (got input shape ${fmtShape(x.shape)}); use a larger batch or call eval()`);
    }
    let factor = 0;
    if (this.training && this.numBatchesTracked !== null) {
      const n = this.numBatchesTracked;
      noGrad(() => add_(n, 1));
      factor = this.momentum ?? 1 / n.item();
    }
    return batchNorm(x, this.runningMean, this.runningVar, {
      weight: this.weight,
      bias: this.bias,
      training: this.training || this.runningMean === null,
      momentum: factor,
      eps: this.eps,
    });
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${pyFloat(this.momentum)}, affine=${pyBool(this.affine)}, track_running_stats=${pyBool(this.trackRunningStats)}`;
  }
}
