// Keras-style convolution and pooling layers (st.layers.conv2d, conv1d, maxPooling2d,
// averagePooling2d, globalAveragePooling2d) over nn.Conv2d / Conv1d and the pooling functions.
// CHANNELS-FIRST like every steadytensor tensor: images are [batch, channels, height, width] and
// inputShape is [channels, height, width] (Keras's data_format "channels_first"). padding "same"
// follows TensorFlow: output ⌈size/stride⌉, the odd pixel of padding after, max pooling never
// picking the padding and average pooling not counting it.

import { ValueError } from "../../core/errors.js";
import type { Tensor } from "../../core/tensor.js";
import { pad } from "../../ops/shape.js";
import { mean } from "../../ops/reduce.js";
import { div } from "../../ops/elementwise.js";
import { onesLike } from "../../core/creation.js";
import { Conv1d, Conv2d } from "../../nn/layers/conv.js";
import { avgPool2d, maxPool2d } from "../../nn/functional/pooling.js";
import type { AnyModule } from "../../nn/module.js";
import { Module } from "../../nn/module.js";
import { type ActivationName, activationModule, activationName } from "./activations.js";
import { checkInitializer, initialize } from "./initializers.js";
import { KerasLayer, type LayerConfig } from "./keras-layer.js";

type Pair = number | [number, number];
const pairOf = (v: Pair): [number, number] => (typeof v === "number" ? [v, v] : [v[0], v[1]]);

/** TensorFlow's "same" padding of one dim: [before, after] so that the output is ⌈n/s⌉. */
function samePads(n: number, k: number, s: number, d = 1): [number, number] {
  const out = Math.ceil(n / s);
  const total = Math.max((out - 1) * s + (k - 1) * d + 1 - n, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

function checkPadding(who: string, p: unknown): "valid" | "same" {
  const v = p ?? "valid";
  if (v !== "valid" && v !== "same") throw new ValueError(`${who}: padding must be "valid" or "same" (got ${JSON.stringify(p)})`);
  return v;
}

/** Options of {@link conv2d} (Keras Conv2D's arguments, camelCase; channels-first). */
export interface Conv2DOptions {
  /** Output channels (required). */
  filters: number;
  /** Kernel [height, width] or one number for both (required). */
  kernelSize: Pair;
  /** Step between windows (default 1). */
  strides?: Pair;
  /** "valid" (default, no padding) or "same" (output ⌈input/stride⌉, TensorFlow's split). */
  padding?: "valid" | "same";
  /** Spacing between kernel taps (default 1). */
  dilationRate?: Pair;
  /** Channel groups (default 1). */
  groups?: number;
  /** Activation of the output (Keras names; default none). */
  activation?: ActivationName | "leaky_relu" | "log_softmax" | null;
  /** Learn a bias (default true). */
  useBias?: boolean;
  /** Keras default "glorotUniform". */
  kernelInitializer?: string;
  /** Keras default "zeros". */
  biasInitializer?: string;
  /** Per-sample input shape, CHANNELS FIRST: [channels, height, width]. */
  inputShape?: number[];
}

/** The Keras options of Conv2D / Conv1D as nn.Conv2d / Conv1d options. */
function convArgs<K>(o: { strides?: K; dilationRate?: K; groups?: number; useBias?: boolean }) {
  return { stride: o.strides ?? 1, dilation: o.dilationRate ?? 1, groups: o.groups ?? 1, bias: o.useBias ?? true };
}

/** Fills a new convolution's kernel and bias with the layer's initializers (Keras defaults: glorotUniform, zeros). */
function initConv<C extends Conv2d | Conv1d>(who: string, conv: C, o: Pick<Conv2DOptions, "kernelInitializer" | "biasInitializer">): C {
  initialize(checkInitializer(who, o.kernelInitializer ?? "glorotUniform"), conv.weight);
  if (conv.bias !== null) initialize(checkInitializer(who, o.biasInitializer ?? "zeros"), conv.bias);
  return conv;
}

/**
 * The Keras Conv2D layer (made by st.layers.conv2d), channels-first; its weight is nn.Conv2d's
 * [filters, channels/groups, kh, kw].
 * @example
 * const layer = st.layers.conv2d({ filters: 4, kernelSize: 3, padding: "same", inputShape: [2, 6, 6] });
 * st.sequential([layer]).predict(st.ones([5, 2, 6, 6])).shape; // [5, 4, 6, 6]
 */
export class Conv2DLayer extends KerasLayer {
  readonly className: string = "conv2d";
  /** Output channels (the number of filters). */
  readonly filters: number;
  /** Activation applied to the output ("linear" for none). */
  readonly activation: ActivationName;
  private readonly act: AnyModule | null;
  protected readonly opts: Conv2DOptions;

  constructor(opts: Conv2DOptions, who = "layers.conv2d") {
    super(opts?.inputShape);
    if (typeof opts !== "object" || opts === null || !Number.isInteger(opts.filters) || opts.filters < 1) {
      throw new ValueError(`${who}: filters must be a positive integer (got ${JSON.stringify(opts?.filters)})`);
    }
    if (opts.kernelSize === undefined) throw new ValueError(`${who}: kernelSize is required`);
    this.filters = opts.filters;
    this.activation = activationName(who, opts.activation);
    this.act = activationModule(this.activation);
    checkPadding(who, opts.padding);
    checkInitializer(who, opts.kernelInitializer ?? "glorotUniform");
    checkInitializer(who, opts.biasInitializer ?? "zeros");
    this.opts = { ...opts };
  }

  protected buildInner(inputShape: readonly number[]): AnyModule {
    if (inputShape.length !== 4) {
      throw new ValueError(`layers.conv2d(filters=${this.filters}): expected channels-first inputs [batch, channels, height, width] (got [${inputShape.join(", ")}])`);
    }
    return initConv("layers.conv2d", new Conv2d(inputShape[1]!, this.filters, this.opts.kernelSize, convArgs(this.opts)), this.opts);
  }

  /** x padded as TensorFlow's "same" asks (nothing for "valid"). */
  protected padded(x: Tensor): Tensor {
    if ((this.opts.padding ?? "valid") === "valid" || x.ndim !== 4) return x;
    const [kh, kw] = pairOf(this.opts.kernelSize), [sh, sw] = pairOf(this.opts.strides ?? 1), [dh, dw] = pairOf(this.opts.dilationRate ?? 1);
    const [t, b] = samePads(x.shape[2]!, kh, sh, dh), [l, r] = samePads(x.shape[3]!, kw, sw, dw);
    return pad(x, [l, r, t, b]);
  }

  override forward(x: Tensor): Tensor {
    const z = this.runInner(this.padded(x));
    return this.act === null ? z : (this.act.call(z) as Tensor);
  }

  getConfig(): LayerConfig {
    const o = this.opts;
    return {
      filters: this.filters, kernelSize: o.kernelSize, strides: o.strides ?? 1, padding: o.padding ?? "valid", dilationRate: o.dilationRate ?? 1,
      groups: o.groups ?? 1, activation: this.activation, useBias: o.useBias ?? true,
      kernelInitializer: o.kernelInitializer ?? "glorotUniform", biasInitializer: o.biasInitializer ?? "zeros",
    };
  }
}

/** Options of {@link conv1d}: those of conv2d with single numbers (the steps dim). */
export interface Conv1DOptions extends Omit<Conv2DOptions, "kernelSize" | "strides" | "dilationRate"> {
  /** Kernel length (required). */
  kernelSize: number;
  /** Step between windows (default 1). */
  strides?: number;
  /** Spacing between kernel taps (default 1). */
  dilationRate?: number;
  /** Per-sample input shape, CHANNELS FIRST: [channels, steps]. */
  inputShape?: number[];
}

/**
 * The Keras Conv1D layer (made by st.layers.conv1d), channels-first [batch, channels, steps];
 * weight nn.Conv1d's [filters, channels/groups, k].
 * @example
 * const layer = st.layers.conv1d({ filters: 6, kernelSize: 3, inputShape: [4, 10] });
 * st.sequential([layer]).predict(st.ones([2, 4, 10])).shape; // [2, 6, 8]
 */
export class Conv1DLayer extends KerasLayer {
  readonly className = "conv1d";
  /** Output channels (the number of filters). */
  readonly filters: number;
  /** Activation applied to the output ("linear" for none). */
  readonly activation: ActivationName;
  private readonly act: AnyModule | null;
  private readonly opts: Conv1DOptions;

  constructor(opts: Conv1DOptions) {
    super(opts?.inputShape);
    if (typeof opts !== "object" || opts === null || !Number.isInteger(opts.filters) || opts.filters < 1) {
      throw new ValueError(`layers.conv1d: filters must be a positive integer (got ${JSON.stringify(opts?.filters)})`);
    }
    this.filters = opts.filters;
    this.activation = activationName("layers.conv1d", opts.activation);
    this.act = activationModule(this.activation);
    checkPadding("layers.conv1d", opts.padding);
    this.opts = { ...opts };
  }

  protected buildInner(inputShape: readonly number[]): AnyModule {
    if (inputShape.length !== 3) {
      throw new ValueError(`layers.conv1d(filters=${this.filters}): expected channels-first inputs [batch, channels, steps] (got [${inputShape.join(", ")}])`);
    }
    return initConv("layers.conv1d", new Conv1d(inputShape[1]!, this.filters, this.opts.kernelSize, convArgs(this.opts)), this.opts);
  }

  override forward(x: Tensor): Tensor {
    let xin = x;
    if ((this.opts.padding ?? "valid") === "same" && x.ndim === 3) xin = pad(x, samePads(x.shape[2]!, this.opts.kernelSize, this.opts.strides ?? 1, this.opts.dilationRate ?? 1));
    const z = this.runInner(xin);
    return this.act === null ? z : (this.act.call(z) as Tensor);
  }

  getConfig(): LayerConfig {
    const o = this.opts;
    return {
      filters: this.filters, kernelSize: o.kernelSize, strides: o.strides ?? 1, padding: o.padding ?? "valid", dilationRate: o.dilationRate ?? 1,
      groups: o.groups ?? 1, activation: this.activation, useBias: o.useBias ?? true,
      kernelInitializer: o.kernelInitializer ?? "glorotUniform", biasInitializer: o.biasInitializer ?? "zeros",
    };
  }
}

/** Options of {@link maxPooling2d} and {@link averagePooling2d} (Keras's pooling arguments, camelCase; channels-first). */
export interface Pooling2DOptions {
  /** Window [height, width] (default 2). */
  poolSize?: Pair;
  /** Step (default: poolSize). */
  strides?: Pair | null;
  /** "valid" (default) or "same" (output ⌈input/stride⌉; the padding never counts). */
  padding?: "valid" | "same";
  /** Per-sample input shape, CHANNELS FIRST: [channels, height, width] (only for the first layer of a model). */
  inputShape?: number[];
}

/** A pooling step as a module with no parameters (the inner module of the Keras pooling layers). */
class PoolModule extends Module {
  constructor(private readonly f: (x: Tensor) => Tensor) {
    super();
  }

  forward(x: Tensor): Tensor {
    return this.f(x);
  }
}

/**
 * Keras MaxPooling2D / AveragePooling2D (made by st.layers.maxPooling2d / averagePooling2d) over
 * channels-first [batch, channels, height, width].
 * @example
 * const pool = st.layers.averagePooling2d({ poolSize: 2, inputShape: [1, 4, 4] });
 * st.sequential([pool]).predict(st.ones([1, 1, 4, 4])); // [[[[1, 1], [1, 1]]]] (float32)
 */
export class Pooling2DLayer extends KerasLayer {
  readonly className: "maxPooling2d" | "averagePooling2d";
  private readonly poolSize: [number, number];
  private readonly strides: [number, number];
  private readonly padding: "valid" | "same";

  constructor(kind: "maxPooling2d" | "averagePooling2d", opts: Pooling2DOptions = {}) {
    super(opts.inputShape);
    this.className = kind;
    this.poolSize = pairOf(opts.poolSize ?? 2);
    this.strides = opts.strides == null ? this.poolSize : pairOf(opts.strides);
    this.padding = checkPadding(`layers.${kind}`, opts.padding);
    this.build([]);
  }

  protected buildInner(): AnyModule {
    return new PoolModule((x) => this.pool(x));
  }

  private pool(x: Tensor): Tensor {
    const k = this.poolSize, s = this.strides;
    const isMax = this.className === "maxPooling2d";
    if (this.padding === "valid" || x.ndim !== 4) {
      return isMax ? maxPool2d(x, k, { stride: s }) : avgPool2d(x, k, { stride: s });
    }
    const [t, b] = samePads(x.shape[2]!, k[0], s[0]), [l, r] = samePads(x.shape[3]!, k[1], s[1]);
    if (isMax) return maxPool2d(pad(x, [l, r, t, b], -Infinity), k, { stride: s });
    // average over the real pixels only: window sums of x over window sums of a ones mask
    const sums = avgPool2d(pad(x, [l, r, t, b]), k, { stride: s, divisorOverride: 1 });
    const counts = avgPool2d(pad(onesLike(x), [l, r, t, b]), k, { stride: s, divisorOverride: 1 });
    return div(sums, counts);
  }

  getConfig(): LayerConfig {
    return { poolSize: this.poolSize, strides: this.strides, padding: this.padding };
  }
}

/**
 * Keras GlobalAveragePooling2D (made by st.layers.globalAveragePooling2d): the mean over height and
 * width, [batch, channels, height, width] → [batch, channels] (channels-first).
 * @example
 * const gap = st.layers.globalAveragePooling2d({ inputShape: [3, 4, 4] });
 * st.sequential([gap]).predict(st.ones([2, 3, 4, 4])); // [[1, 1, 1], [1, 1, 1]] (float32)
 */
export class GlobalAveragePooling2DLayer extends KerasLayer {
  readonly className = "globalAveragePooling2d";

  constructor(opts: { inputShape?: number[] } = {}) {
    super(opts.inputShape);
    this.build([]);
  }

  protected buildInner(): AnyModule {
    return new PoolModule((x) => {
      if (x.ndim !== 4) throw new ValueError(`layers.globalAveragePooling2d: expected channels-first inputs [batch, channels, height, width] (got [${x.shape.join(", ")}])`);
      return mean(x, [2, 3]);
    });
  }

  getConfig(): LayerConfig {
    return {};
  }
}
