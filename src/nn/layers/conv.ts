// Convolution layers: Conv1d, Conv2d, ConvTranspose2d — PyTorch's options (camelCase), defaults,
// initialization and state-dict names (weight [O, C/groups, KH, KW], bias [O]; ConvTranspose2d's
// weight [Cin, Cout/groups, KH, KW]), so PyTorch state dicts load unchanged.

import type { DType } from "../../core/dtype.js";
import { zeros } from "../../core/creation.js";
import { ValueError } from "../../core/errors.js";
import type { Generator } from "../../core/random.js";
import type { Tensor } from "../../core/tensor.js";
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from "../init.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { conv1d, conv2d, convTranspose2d, type PaddingMode } from "../functional/conv.js";
import { type Size2, checkPaddingMode, pair } from "../functional/conv-args.js";
import { checkSize, floatDType } from "./linear.js";

/** Options of {@link Conv2d} (PyTorch's nn.Conv2d keyword arguments, camelCase). */
export interface Conv2dLayerOptions {
  /** Step between windows (default 1). */
  stride?: Size2;
  /** Border on each side (default 0), or "same" / "valid". */
  padding?: Size2 | "same" | "valid";
  /** Spacing between kernel taps (default 1). */
  dilation?: Size2;
  /** Independent channel groups (default 1). */
  groups?: number;
  /** Learn a bias (default true). */
  bias?: boolean;
  /** How the border is filled: "zeros" (default), "reflect", "replicate", "circular". */
  paddingMode?: PaddingMode;
  /** Parameter dtype, float32 or float64 (default float32). */
  dtype?: DType;
  /** Random source of the initialization (default: the global generator). */
  generator?: Generator;
}

/** Options of {@link Conv1d}: those of Conv2d with single numbers for stride, padding and dilation. */
export interface Conv1dLayerOptions extends Omit<Conv2dLayerOptions, "stride" | "padding" | "dilation"> {
  /** Step between windows (default 1). */
  stride?: number;
  /** Border on each side (default 0), or "same" (output length = input length; stride 1 only) / "valid" (= 0). */
  padding?: number | "same" | "valid";
  /** Spacing between kernel taps (default 1). */
  dilation?: number;
}

/** Options of {@link ConvTranspose2d} (PyTorch's nn.ConvTranspose2d keyword arguments, camelCase). */
export interface ConvTranspose2dLayerOptions {
  /** Upsampling step: the output grows by this factor per input position (default 1). */
  stride?: Size2;
  /** Rows/columns removed from each border of the full transposed output (default 0). */
  padding?: Size2;
  /** Extra rows/columns added on one side of the output, to pick among the sizes a strided Conv2d maps to the same input (default 0; must be smaller than the stride). */
  outputPadding?: Size2;
  /** Independent channel groups (default 1); must divide inChannels and outChannels. */
  groups?: number;
  /** Learn a bias (default true). */
  bias?: boolean;
  /** Spacing between kernel taps (default 1). */
  dilation?: Size2;
  /** Parameter dtype, float32 or float64 (default float32). */
  dtype?: DType;
  /** Random source of the initialization (default: the global generator). */
  generator?: Generator;
}

/** PyTorch's default: weight kaiming_uniform(a = √5) = U(±1/√fanIn), bias U(±1/√fanIn). */
function resetConv(weight: Parameter, bias: Parameter | null, generator?: Generator): void {
  kaimingUniform_(weight, { a: Math.sqrt(5), generator });
  if (bias !== null) {
    const [fanIn] = calculateFanInAndFanOut(weight);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform_(bias, -bound, bound, { generator });
  }
}

function checkChannels(layer: string, inC: number, outC: number, groups: number): void {
  checkSize(layer, "inChannels", inC);
  checkSize(layer, "outChannels", outC);
  checkSize(layer, "groups", groups);
  if (inC % groups !== 0 || outC % groups !== 0) {
    throw new ValueError(`${layer}: groups=${groups} must divide inChannels=${inC} and outChannels=${outC}`);
  }
}

const fmt = (p: readonly number[] | number | string): string => (typeof p === "string" ? `'${p}'` : typeof p === "number" ? `(${p},)` : `(${p.join(", ")})`);

/**
 * 2-D convolution layer: x [N, inChannels, H, W] → [N, outChannels, OH, OW],
 * OH = ⌊(H + 2p − d·(KH − 1) − 1)/s⌋ + 1 (see st.nn.functional.conv2d for the formula).
 * weight [outChannels, inChannels/groups, KH, KW] and bias [outChannels] start as U(±1/√fanIn),
 * fanIn = inChannels/groups·KH·KW (PyTorch's default). Defaults: stride 1, padding 0, dilation 1,
 * groups 1, bias true, paddingMode "zeros".
 *
 * @example
 * const conv = new st.nn.Conv2d(3, 8, 3, { padding: "same" });
 * conv.call(st.randn([2, 3, 16, 16])).shape // [2, 8, 16, 16]
 */
export class Conv2d extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  /** Channels of the input, C in [N, C, H, W]. */
  readonly inChannels: number;
  /** Channels of the output (the number of filters). */
  readonly outChannels: number;
  /** Kernel [KH, KW] (a single number k given to the constructor becomes [k, k]). */
  readonly kernelSize: [number, number];
  /** Step between windows [sH, sW] (default [1, 1]). */
  readonly stride: [number, number];
  /** Border [pH, pW] on each side (default [0, 0]), or "same" / "valid" as given. */
  readonly padding: [number, number] | "same" | "valid";
  /** Spacing between kernel taps [dH, dW] (default [1, 1]). */
  readonly dilation: [number, number];
  /** Independent channel groups (default 1). */
  readonly groups: number;
  /** How the border is filled (default "zeros"). */
  readonly paddingMode: PaddingMode;
  /** Filters, shape [outChannels, inChannels/groups, KH, KW]; initialized U(±1/√fanIn), fanIn = inChannels/groups·KH·KW. */
  weight: Parameter;
  /** Bias [outChannels], initialized U(±1/√fanIn); null when the layer was built with bias: false. */
  bias: Parameter | null;

  constructor(inChannels: number, outChannels: number, kernelSize: Size2, opts: Conv2dLayerOptions = {}) {
    super();
    const groups = opts.groups ?? 1;
    checkChannels("Conv2d", inChannels, outChannels, groups);
    const dtype = floatDType("Conv2d", opts.dtype);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = pair("Conv2d", "kernelSize", kernelSize, 1, 1);
    this.stride = pair("Conv2d", "stride", opts.stride, 1, 1);
    const p = opts.padding ?? 0;
    this.padding = p === "same" || p === "valid" ? p : pair("Conv2d", "padding", p, 0, 0);
    this.dilation = pair("Conv2d", "dilation", opts.dilation, 1, 1);
    this.groups = groups;
    this.paddingMode = checkPaddingMode("Conv2d", opts.paddingMode);
    this.weight = new Parameter(zeros([outChannels, inChannels / groups, ...this.kernelSize], { dtype }));
    this.bias = opts.bias ?? true ? new Parameter(zeros([outChannels], { dtype })) : null;
    this.resetParameters(opts.generator);
  }

  /** Redraws weight and bias from PyTorch's default U(±1/√fanIn). */
  resetParameters(generator?: Generator): void {
    resetConv(this.weight, this.bias, generator);
  }

  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, {
      stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups, paddingMode: this.paddingMode,
    });
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${fmt(this.kernelSize)}, stride=${fmt(this.stride)}`;
    if (this.padding !== "valid" && (typeof this.padding === "string" || this.padding.some((v) => v !== 0))) s += `, padding=${fmt(this.padding)}`;
    if (this.dilation.some((v) => v !== 1)) s += `, dilation=${fmt(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ", bias=False";
    if (this.paddingMode !== "zeros") s += `, padding_mode=${this.paddingMode}`;
    return s;
  }
}

/**
 * 1-D convolution layer: x [N, inChannels, L] → [N, outChannels, ⌊(L + 2p − d·(K − 1) − 1)/s⌋ + 1].
 * weight [outChannels, inChannels/groups, K], bias [outChannels]; options and initialization as Conv2d.
 *
 * @example
 * new st.nn.Conv1d(4, 6, 3).call(st.randn([2, 4, 10])).shape // [2, 6, 8]
 */
export class Conv1d extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  /** Channels of the input, C in [N, C, L]. */
  readonly inChannels: number;
  /** Channels of the output (the number of filters). */
  readonly outChannels: number;
  /** Kernel length K. */
  readonly kernelSize: number;
  /** Step between windows (default 1). */
  readonly stride: number;
  /** Border on each side (default 0), or "same" / "valid" as given. */
  readonly padding: number | "same" | "valid";
  /** Spacing between kernel taps (default 1). */
  readonly dilation: number;
  /** Independent channel groups (default 1). */
  readonly groups: number;
  /** How the border is filled (default "zeros"). */
  readonly paddingMode: PaddingMode;
  /** Filters, shape [outChannels, inChannels/groups, K]; initialized U(±1/√fanIn), fanIn = inChannels/groups·K. */
  weight: Parameter;
  /** Bias [outChannels], initialized U(±1/√fanIn); null when the layer was built with bias: false. */
  bias: Parameter | null;

  constructor(inChannels: number, outChannels: number, kernelSize: number, opts: Conv1dLayerOptions = {}) {
    super();
    const groups = opts.groups ?? 1;
    checkChannels("Conv1d", inChannels, outChannels, groups);
    checkSize("Conv1d", "kernelSize", kernelSize);
    const dtype = floatDType("Conv1d", opts.dtype);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = kernelSize;
    this.stride = opts.stride ?? 1;
    this.padding = opts.padding ?? 0;
    this.dilation = opts.dilation ?? 1;
    this.groups = groups;
    this.paddingMode = checkPaddingMode("Conv1d", opts.paddingMode);
    this.weight = new Parameter(zeros([outChannels, inChannels / groups, kernelSize], { dtype }));
    this.bias = opts.bias ?? true ? new Parameter(zeros([outChannels], { dtype })) : null;
    this.resetParameters(opts.generator);
  }

  /** Redraws weight and bias from PyTorch's default U(±1/√fanIn), fanIn = inChannels/groups·K. */
  resetParameters(generator?: Generator): void {
    resetConv(this.weight, this.bias, generator);
  }

  forward(x: Tensor): Tensor {
    return conv1d(x, this.weight, this.bias, {
      stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups, paddingMode: this.paddingMode,
    });
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${fmt(this.kernelSize)}, stride=${fmt(this.stride)}`;
    if (this.padding !== 0) s += `, padding=${fmt(this.padding)}`;
    if (this.dilation !== 1) s += `, dilation=${fmt(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ", bias=False";
    if (this.paddingMode !== "zeros") s += `, padding_mode=${this.paddingMode}`;
    return s;
  }
}

/**
 * Transposed 2-D convolution layer (a learnable upsampling; the gradient of Conv2d in its input):
 * x [N, inChannels, H, W] → [N, outChannels, (H − 1)·s − 2p + d·(KH − 1) + outputPadding + 1, …].
 * weight [inChannels, outChannels/groups, KH, KW] (PyTorch's layout), bias [outChannels], both
 * U(±1/√fanIn) with fanIn = outChannels/groups·KH·KW as in PyTorch.
 *
 * @example
 * new st.nn.ConvTranspose2d(8, 4, 2, { stride: 2 }).call(st.randn([1, 8, 5, 5])).shape // [1, 4, 10, 10]
 */
export class ConvTranspose2d extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  /** Channels of the input, C in [N, C, H, W]. */
  readonly inChannels: number;
  /** Channels of the output. */
  readonly outChannels: number;
  /** Kernel [KH, KW] (a single number k given to the constructor becomes [k, k]). */
  readonly kernelSize: [number, number];
  /** Upsampling step [sH, sW] (default [1, 1]). */
  readonly stride: [number, number];
  /** Rows/columns [pH, pW] removed from each border of the output (default [0, 0]). */
  readonly padding: [number, number];
  /** Extra rows/columns [oH, oW] added on one side of the output (default [0, 0]). */
  readonly outputPadding: [number, number];
  /** Spacing between kernel taps [dH, dW] (default [1, 1]). */
  readonly dilation: [number, number];
  /** Independent channel groups (default 1). */
  readonly groups: number;
  /** Filters, shape [inChannels, outChannels/groups, KH, KW] (PyTorch's layout); initialized U(±1/√fanIn), fanIn = outChannels/groups·KH·KW. */
  weight: Parameter;
  /** Bias [outChannels], initialized U(±1/√fanIn); null when the layer was built with bias: false. */
  bias: Parameter | null;

  constructor(inChannels: number, outChannels: number, kernelSize: Size2, opts: ConvTranspose2dLayerOptions = {}) {
    super();
    const groups = opts.groups ?? 1;
    checkChannels("ConvTranspose2d", inChannels, outChannels, groups);
    const dtype = floatDType("ConvTranspose2d", opts.dtype);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = pair("ConvTranspose2d", "kernelSize", kernelSize, 1, 1);
    this.stride = pair("ConvTranspose2d", "stride", opts.stride, 1, 1);
    this.padding = pair("ConvTranspose2d", "padding", opts.padding, 0, 0);
    this.outputPadding = pair("ConvTranspose2d", "outputPadding", opts.outputPadding, 0, 0);
    this.dilation = pair("ConvTranspose2d", "dilation", opts.dilation, 1, 1);
    this.groups = groups;
    this.weight = new Parameter(zeros([inChannels, outChannels / groups, ...this.kernelSize], { dtype }));
    this.bias = opts.bias ?? true ? new Parameter(zeros([outChannels], { dtype })) : null;
    this.resetParameters(opts.generator);
  }

  /** Redraws weight and bias from PyTorch's default U(±1/√fanIn), fanIn = outChannels/groups·KH·KW. */
  resetParameters(generator?: Generator): void {
    resetConv(this.weight, this.bias, generator);
  }

  forward(x: Tensor): Tensor {
    return convTranspose2d(x, this.weight, this.bias, {
      stride: this.stride, padding: this.padding, outputPadding: this.outputPadding, dilation: this.dilation, groups: this.groups,
    });
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${fmt(this.kernelSize)}, stride=${fmt(this.stride)}`;
    if (this.padding.some((v) => v !== 0)) s += `, padding=${fmt(this.padding)}`;
    if (this.outputPadding.some((v) => v !== 0)) s += `, output_padding=${fmt(this.outputPadding)}`;
    if (this.dilation.some((v) => v !== 1)) s += `, dilation=${fmt(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ", bias=False";
    return s;
  }
}
