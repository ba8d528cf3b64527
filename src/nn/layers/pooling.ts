// Pooling and resizing layers: MaxPool1d/2d, AvgPool1d/2d, AdaptiveAvgPool2d, Upsample — Module
// forms of nn/functional/pooling.ts and interpolate.ts with PyTorch's options (camelCase).

import type { Tensor } from "../../core/tensor.js";
import { Module } from "../module.js";
import { adaptiveAvgPool2d, avgPool1d, avgPool2d, maxPool1d, maxPool2d, type AvgPool2dOptions, type MaxPool2dOptions } from "../functional/pooling.js";
import { interpolate, type InterpolateMode } from "../functional/interpolate.js";
import type { Size2 } from "../functional/conv-args.js";
import { pyBool } from "../repr.js";

const fmt = (v: Size2 | null | undefined): string => (v == null ? "None" : typeof v === "number" ? String(v) : `(${v.join(", ")})`);

/**
 * 2-D max pooling layer (st.nn.functional.maxPool2d): x [N, C, H, W] → [N, C, OH, OW], each output
 * the max of its window. Defaults: stride = kernelSize, padding 0, dilation 1, ceilMode false. With
 * returnIndices, call() returns [y, indices] (int32 flat positions, for unpooling).
 *
 * @example
 * new st.nn.MaxPool2d(2).call(st.randn([1, 3, 8, 8])).shape // [1, 3, 4, 4]
 */
export class MaxPool2d extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  /** Window [KH, KW] (a single number for both), as given to the constructor. */
  readonly kernelSize: Size2;
  /** The options as given (stride, padding, dilation, ceilMode, returnIndices; defaults above). */
  readonly opts: MaxPool2dOptions;

  constructor(kernelSize: Size2, opts: MaxPool2dOptions = {}) {
    super();
    this.kernelSize = kernelSize;
    this.opts = { ...opts };
  }

  forward(x: Tensor): Tensor {
    // with returnIndices the result is the [y, indices] pair (typed as Tensor for Sequential use)
    return maxPool2d(x, this.kernelSize, this.opts as MaxPool2dOptions & { returnIndices: false });
  }

  override extraRepr(): string {
    const o = this.opts;
    return `kernel_size=${fmt(this.kernelSize)}, stride=${fmt(o.stride ?? this.kernelSize)}, padding=${fmt(o.padding ?? 0)}, dilation=${fmt(o.dilation ?? 1)}, ceil_mode=${pyBool(o.ceilMode ?? false)}`;
  }
}

/**
 * 1-D max pooling layer: x [N, C, L] → [N, C, ⌊(L + 2p − d·(K − 1) − 1)/s⌋ + 1].
 *
 * @example
 * new st.nn.MaxPool1d(2).call(st.randn([1, 3, 8])).shape // [1, 3, 4]
 */
export class MaxPool1d extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  /** Window length K. */
  readonly kernelSize: number;
  /** The options as given. */
  readonly opts: {
    /** Step between windows (default: the kernel size). */
    stride?: number | null;
    /** Implicit −∞ border on each side (default 0; at most half the kernel size). */
    padding?: number;
    /** Spacing between window taps (default 1). */
    dilation?: number;
    /** Round the output length up, keeping a last partial window (default false). */
    ceilMode?: boolean;
    /** call() also returns the int32 index of each max along L, as [y, indices] (default false). */
    returnIndices?: boolean;
  };

  constructor(kernelSize: number, opts: { stride?: number | null; padding?: number; dilation?: number; ceilMode?: boolean; returnIndices?: boolean } = {}) {
    super();
    this.kernelSize = kernelSize;
    this.opts = { ...opts };
  }

  forward(x: Tensor): Tensor {
    return maxPool1d(x, this.kernelSize, this.opts as typeof this.opts & { returnIndices: false });
  }

  override extraRepr(): string {
    const o = this.opts;
    return `kernel_size=${this.kernelSize}, stride=${o.stride ?? this.kernelSize}, padding=${o.padding ?? 0}, dilation=${o.dilation ?? 1}, ceil_mode=${pyBool(o.ceilMode ?? false)}`;
  }
}

/**
 * 2-D average pooling layer (st.nn.functional.avgPool2d). Defaults: stride = kernelSize, padding 0,
 * ceilMode false, countIncludePad true, no divisorOverride.
 *
 * @example
 * new st.nn.AvgPool2d(2).call(st.ones([1, 1, 4, 4])).shape // [1, 1, 2, 2]
 */
export class AvgPool2d extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  /** Window [KH, KW] (a single number for both), as given to the constructor. */
  readonly kernelSize: Size2;
  /** The options as given (stride, padding, ceilMode, countIncludePad, divisorOverride; defaults above). */
  readonly opts: AvgPool2dOptions;

  constructor(kernelSize: Size2, opts: AvgPool2dOptions = {}) {
    super();
    this.kernelSize = kernelSize;
    this.opts = { ...opts };
  }

  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, this.opts);
  }

  override extraRepr(): string {
    return `kernel_size=${fmt(this.kernelSize)}, stride=${fmt(this.opts.stride ?? this.kernelSize)}, padding=${fmt(this.opts.padding ?? 0)}`;
  }
}

/**
 * 1-D average pooling layer (st.nn.functional.avgPool1d): x [N, C, L] → [N, C, ⌊(L + 2p − K)/s⌋ + 1],
 * each output the mean of its window. Defaults: stride = kernelSize, padding 0, ceilMode false,
 * countIncludePad true.
 *
 * @example
 * new st.nn.AvgPool1d(2).call(st.ones([1, 1, 4])).shape // [1, 1, 2]
 */
export class AvgPool1d extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  /** Window length K. */
  readonly kernelSize: number;
  /** The options as given. */
  readonly opts: {
    /** Step between windows (default: the kernel size). */
    stride?: number | null;
    /** Implicit zero border on each side (default 0; at most half the kernel size). */
    padding?: number;
    /** Round the output length up, keeping a last partial window (default false). */
    ceilMode?: boolean;
    /** Count the zero padding in the divisor (default true). */
    countIncludePad?: boolean;
  };

  constructor(kernelSize: number, opts: { stride?: number | null; padding?: number; ceilMode?: boolean; countIncludePad?: boolean } = {}) {
    super();
    this.kernelSize = kernelSize;
    this.opts = { ...opts };
  }

  forward(x: Tensor): Tensor {
    return avgPool1d(x, this.kernelSize, this.opts);
  }

  override extraRepr(): string {
    return `kernel_size=(${this.kernelSize},), stride=(${this.opts.stride ?? this.kernelSize},), padding=(${this.opts.padding ?? 0},)`;
  }
}

/**
 * Adaptive average pooling to a fixed output size (st.nn.functional.adaptiveAvgPool2d):
 * [N, C, H, W] → [N, C, OH, OW] whatever H and W; AdaptiveAvgPool2d(1) is global average pooling.
 *
 * @example
 * new st.nn.AdaptiveAvgPool2d(1).call(st.randn([2, 8, 5, 7])).shape // [2, 8, 1, 1]
 */
export class AdaptiveAvgPool2d extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  /** Output [OH, OW] (a single number for both; null keeps that input dim's size). */
  readonly outputSize: number | readonly [number | null, number | null];

  constructor(outputSize: number | readonly [number | null, number | null]) {
    super();
    this.outputSize = outputSize;
  }

  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }

  override extraRepr(): string {
    return `output_size=${typeof this.outputSize === "number" ? this.outputSize : `(${this.outputSize.map((v) => v ?? "None").join(", ")})`}`;
  }
}

/** Options of {@link Upsample} (PyTorch's nn.Upsample arguments, camelCase): exactly one of size and scaleFactor. */
export interface UpsampleOptions {
  /** Output size [OH, OW] (a number for both); give this or scaleFactor (default null). */
  size?: number | readonly [number, number] | null;
  /** Output = ⌊input · scaleFactor⌋ per dim; give this or size (default null). */
  scaleFactor?: number | readonly [number, number] | null;
  /** "nearest" (default) or "bilinear". */
  mode?: InterpolateMode;
  /** bilinear only: map corner pixel centres onto each other (default null, i.e. false as in PyTorch). */
  alignCorners?: boolean | null;
}

/**
 * Upsampling layer (st.nn.functional.interpolate): [N, C, H, W] → [N, C, size] or ⌊H·scaleFactor⌋.
 *
 * @example
 * new st.nn.Upsample({ scaleFactor: 2 }).call(st.randn([1, 1, 3, 3])).shape // [1, 1, 6, 6]
 */
export class Upsample extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  /** The options as given (size or scaleFactor, mode, alignCorners). */
  readonly opts: UpsampleOptions;

  constructor(opts: UpsampleOptions) {
    super();
    this.opts = { ...opts };
  }

  forward(x: Tensor): Tensor {
    return interpolate(x, this.opts);
  }

  override extraRepr(): string {
    const o = this.opts;
    return o.size != null ? `size=${fmt(o.size)}, mode='${o.mode ?? "nearest"}'` : `scale_factor=${fmt(o.scaleFactor)}, mode='${o.mode ?? "nearest"}'`;
  }
}
