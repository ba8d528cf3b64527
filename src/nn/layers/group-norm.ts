// Normalization layers for images and sequences: BatchNorm2d (BatchNorm1d's statistics over
// [N, C, H, W]), GroupNorm, InstanceNorm2d and RMSNorm, with PyTorch's options, defaults and
// state-dict names (weight, bias, running_mean, running_var, num_batches_tracked).

import type { DType } from "../../core/dtype.js";
import { ones, zeros } from "../../core/creation.js";
import { ShapeError, ValueError, fmtShape } from "../../core/errors.js";
import type { Tensor } from "../../core/tensor.js";
import { reshape } from "../../ops/shape.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { pyBool, pyFloat } from "../repr.js";
import { groupNorm, instanceNorm, rmsNorm } from "../functional/group-norm.js";
import { BatchNorm1d, type BatchNorm1dOptions } from "./batch-norm.js";
import { checkSize, floatDType } from "./linear.js";

/**
 * Batch normalization over the channels of [N, C, H, W] images: per channel c,
 * y = (x − μ_c)/√(σ²_c + ε)·γ_c + β_c with μ, σ² over N, H and W (training) or the running
 * statistics (evaluation). Options, defaults (eps 1e-5, momentum 0.1) and state-dict keys as BatchNorm1d.
 *
 * @example
 * const bn = new st.nn.BatchNorm2d(8);
 * bn.call(st.randn([4, 8, 5, 5])).shape // [4, 8, 5, 5]
 */
export class BatchNorm2d extends BatchNorm1d {
  constructor(numFeatures: number, opts: BatchNorm1dOptions = {}) {
    super(numFeatures, opts);
  }

  override forward(x: Tensor): Tensor {
    const C = this.numFeatures;
    if (x.ndim !== 4) throw new ShapeError(`BatchNorm2d(${C}): expected a 4-D [N, C, H, W] input (got shape ${fmtShape(x.shape)})`);
    if (x.shape[1] !== C) throw new ShapeError(`BatchNorm2d(${C}): expected num_features=${C} channels in dim 1 (got input shape ${fmtShape(x.shape)})`);
    // the same statistics over a [N, C, H·W] view (a reshape, no copy)
    return reshape(super.forward(reshape(x, [x.shape[0]!, C, -1])), x.shape);
  }
}

/** Options of {@link GroupNorm} (PyTorch's nn.GroupNorm keyword arguments). */
export interface GroupNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn per-channel γ (ones) and β (zeros) (default true). */
  affine?: boolean;
  /** Parameter dtype, float32 or float64 (default float32). */
  dtype?: DType;
}

/**
 * Group normalization (st.nn.functional.groupNorm): the numChannels channels of x [N, C, *] in
 * numGroups groups, each (sample, group) standardized, then the per-channel affine γ, β.
 *
 * @example
 * new st.nn.GroupNorm(2, 6).call(st.randn([3, 6, 4, 4])).shape // [3, 6, 4, 4]
 */
export class GroupNorm extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  /** Groups the channels are split into; divides numChannels. */
  readonly numGroups: number;
  /** Channels C of the input [N, C, *]. */
  readonly numChannels: number;
  /** Added to the variance (default 1e-5). */
  readonly eps: number;
  /** Whether the layer learns the per-channel γ, β (default true). */
  readonly affine: boolean;
  /** γ [numChannels], initialized to ones; null when affine is false. */
  weight: Parameter | null;
  /** β [numChannels], initialized to zeros; null when affine is false. */
  bias: Parameter | null;

  constructor(numGroups: number, numChannels: number, opts: GroupNormOptions = {}) {
    super();
    checkSize("GroupNorm", "numGroups", numGroups);
    checkSize("GroupNorm", "numChannels", numChannels);
    if (numChannels % numGroups !== 0) throw new ValueError(`GroupNorm: numChannels=${numChannels} must be divisible by numGroups=${numGroups}`);
    const dtype = floatDType("GroupNorm", opts.dtype);
    this.numGroups = numGroups;
    this.numChannels = numChannels;
    this.eps = opts.eps ?? 1e-5;
    this.affine = opts.affine ?? true;
    this.weight = this.affine ? new Parameter(ones([numChannels], { dtype })) : null;
    this.bias = this.affine ? new Parameter(zeros([numChannels], { dtype })) : null;
  }

  forward(x: Tensor): Tensor {
    if (x.ndim < 2 || x.shape[1] !== this.numChannels) {
      throw new ShapeError(`GroupNorm(${this.numGroups}, ${this.numChannels}): expected an input [N, ${this.numChannels}, *] (got shape ${fmtShape(x.shape)})`);
    }
    return groupNorm(x, this.numGroups, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${pyBool(this.affine)}`;
  }
}

/** Options of {@link InstanceNorm2d} (PyTorch's nn.InstanceNorm2d keyword arguments, camelCase). */
export interface InstanceNorm2dOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Weight of the new batch in the running averages, running = (1 − momentum)·running + momentum·batch (default 0.1). */
  momentum?: number;
  /** Learn per-channel γ, β (default false, PyTorch's default). */
  affine?: boolean;
  /** Keep running statistics used in evaluation (default false). */
  trackRunningStats?: boolean;
  /** Parameter and buffer dtype, float32 or float64 (default float32). */
  dtype?: DType;
}

/**
 * Instance normalization of [N, C, H, W] (st.nn.functional.instanceNorm): each (sample, channel)
 * plane standardized over H, W. Defaults: eps 1e-5, momentum 0.1, affine false, trackRunningStats false.
 *
 * @example
 * new st.nn.InstanceNorm2d(3).call(st.randn([2, 3, 8, 8])).shape // [2, 3, 8, 8]
 */
export class InstanceNorm2d extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  /** Channels C of the input [N, C, H, W]. */
  readonly numFeatures: number;
  /** Added to the variance (default 1e-5). */
  readonly eps: number;
  /** Weight of the new batch in the running averages (default 0.1). */
  readonly momentum: number;
  /** Whether the layer learns the per-channel γ, β (default false). */
  readonly affine: boolean;
  /** Whether running statistics are kept and used in evaluation (default false). */
  readonly trackRunningStats: boolean;
  /** γ [numFeatures], initialized to ones; null unless affine. */
  weight: Parameter | null;
  /** β [numFeatures], initialized to zeros; null unless affine. */
  bias: Parameter | null;
  /** Buffer running_mean [numFeatures], starting at zeros; null unless trackRunningStats. */
  runningMean: Tensor | null;
  /** Buffer running_var [numFeatures] of unbiased variances, starting at ones; null unless trackRunningStats. */
  runningVar: Tensor | null;
  /** Buffer num_batches_tracked (an int32 scalar, 0; kept so PyTorch state dicts load — instance norm, like PyTorch's, never counts); null unless trackRunningStats. */
  numBatchesTracked: Tensor | null;

  constructor(numFeatures: number, opts: InstanceNorm2dOptions = {}) {
    super();
    checkSize("InstanceNorm2d", "numFeatures", numFeatures);
    const dtype = floatDType("InstanceNorm2d", opts.dtype);
    this.numFeatures = numFeatures;
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum ?? 0.1;
    this.affine = opts.affine ?? false;
    this.trackRunningStats = opts.trackRunningStats ?? false;
    this.weight = this.affine ? new Parameter(ones([numFeatures], { dtype })) : null;
    this.bias = this.affine ? new Parameter(zeros([numFeatures], { dtype })) : null;
    const track = this.trackRunningStats;
    this.runningMean = this.registerBuffer("runningMean", track ? zeros([numFeatures], { dtype }) : null);
    this.runningVar = this.registerBuffer("runningVar", track ? ones([numFeatures], { dtype }) : null);
    this.numBatchesTracked = this.registerBuffer("numBatchesTracked", track ? zeros([], { dtype: "int32" }) : null);
  }

  forward(x: Tensor): Tensor {
    const C = this.numFeatures;
    if ((x.ndim !== 4 && x.ndim !== 3) || x.shape[x.ndim - 3] !== C) {
      throw new ShapeError(`InstanceNorm2d(${C}): expected an input [N, ${C}, H, W] or [${C}, H, W] (got shape ${fmtShape(x.shape)})`);
    }
    const x4 = x.ndim === 3 ? reshape(x, [1, ...x.shape]) : x;
    const y = instanceNorm(x4, {
      runningMean: this.runningMean, runningVar: this.runningVar, weight: this.weight, bias: this.bias,
      useInputStats: this.training || !this.trackRunningStats, momentum: this.momentum, eps: this.eps,
    });
    return x.ndim === 3 ? reshape(y, x.shape) : y;
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${pyFloat(this.momentum)}, affine=${pyBool(this.affine)}, track_running_stats=${pyBool(this.trackRunningStats)}`;
  }
}

/** Options of {@link RMSNorm} (PyTorch's nn.RMSNorm keyword arguments, camelCase). */
export interface RMSNormOptions {
  /** Added to mean(x²) (default: the machine epsilon of the input's dtype, PyTorch's default). */
  eps?: number | null;
  /** Learn an elementwise γ of normalizedShape (default true). */
  elementwiseAffine?: boolean;
  /** Parameter dtype, float32 or float64 (default float32). */
  dtype?: DType;
}

/**
 * RMS normalization over the trailing normalizedShape dims (st.nn.functional.rmsNorm):
 * y = x/√(mean(x²) + ε)·γ, γ starting at ones.
 *
 * @example
 * new st.nn.RMSNorm([8]).call(st.randn([2, 8])).shape // [2, 8]
 */
export class RMSNorm extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  /** The trailing dims normalized over (a single number n given to the constructor becomes [n]). */
  readonly normalizedShape: number[];
  /** Added to mean(x²); null (the default) means the machine epsilon of the input's dtype. */
  readonly eps: number | null;
  /** Whether the layer learns the elementwise γ (default true). */
  readonly elementwiseAffine: boolean;
  /** γ of shape normalizedShape, initialized to ones; null when elementwiseAffine is false. */
  weight: Parameter | null;

  constructor(normalizedShape: number | readonly number[], opts: RMSNormOptions = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === "number" ? [normalizedShape] : normalizedShape.slice();
    for (const d of this.normalizedShape) checkSize("RMSNorm", "normalizedShape", d);
    const dtype = floatDType("RMSNorm", opts.dtype);
    this.eps = opts.eps ?? null;
    this.elementwiseAffine = opts.elementwiseAffine ?? true;
    this.weight = this.elementwiseAffine ? new Parameter(ones(this.normalizedShape, { dtype })) : null;
  }

  forward(x: Tensor): Tensor {
    return rmsNorm(x, this.normalizedShape, this.weight, this.eps);
  }

  override extraRepr(): string {
    return `(${this.normalizedShape.join(", ")}${this.normalizedShape.length === 1 ? "," : ""}), eps=${this.eps === null ? "None" : pyFloat(this.eps)}, elementwise_affine=${pyBool(this.elementwiseAffine)}`;
  }
}
