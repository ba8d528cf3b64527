// batchNormalization and layerNormalization: Keras's normalization layers (Keras defaults:
// momentum 0.99, epsilon 1e-3, normalizing the last axis) over BatchNorm1d and LayerNorm.

import { ValueError } from "../../core/errors.js";
import type { Tensor } from "../../core/tensor.js";
import { BatchNorm1d } from "../../nn/layers/batch-norm.js";
import { BatchNorm2d } from "../../nn/layers/group-norm.js";
import { LayerNorm } from "../../nn/layers/layer-norm.js";
import type { AnyModule } from "../../nn/module.js";
import { KerasLayer, type LayerConfig } from "./keras-layer.js";

/** Options of `st.layers.batchNormalization` (Keras's names and defaults). */
export interface BatchNormalizationOptions {
  /** Keras momentum: running = momentum·running + (1 − momentum)·batch (default 0.99 = PyTorch momentum 0.01). */
  momentum?: number;
  /** Added to the variance (Keras default 1e-3). */
  epsilon?: number;
  /** Learn the shift β (default true). Keras's `center` and `scale` go together here. */
  center?: boolean;
  /** Learn the scale γ (default true). */
  scale?: boolean;
  /** Shape of one input sample (needed on the first layer of a sequential model). */
  inputShape?: number[];
}

function checkEps(who: string, eps: number): number {
  if (typeof eps !== "number" || !(eps >= 0)) throw new ValueError(`${who}: epsilon must be a number >= 0 (got ${String(eps)})`);
  return eps;
}

/**
 * Keras BatchNormalization over the last axis. Keras's `momentum` m is the weight of the old
 * running value, PyTorch's the weight of the new batch: PyTorch momentum = 1 − m. Inputs
 * [N, C] normalize C; inputs [N, L, C] are transposed to BatchNorm1d's [N, C, L] and back.
 * @example
 * const model = st.sequential([st.layers.dense({ units: 4, inputShape: [3] }), st.layers.batchNormalization()]);
 * model.predict(st.ones([2, 3])).shape; // [2, 4]
 */
export class BatchNormalization extends KerasLayer {
  readonly className = "batchNormalization";
  /** Keras momentum (running = momentum·running + (1 − momentum)·batch). */
  readonly momentum: number;
  /** Added to the variance. */
  readonly epsilon: number;
  private readonly affine: boolean;

  constructor(opts: BatchNormalizationOptions = {}) {
    super(opts.inputShape);
    this.momentum = opts.momentum ?? 0.99;
    if (!(this.momentum >= 0 && this.momentum <= 1)) throw new ValueError(`layers.batchNormalization: momentum must lie in [0, 1] (got ${this.momentum})`);
    this.epsilon = checkEps("layers.batchNormalization", opts.epsilon ?? 1e-3);
    if ((opts.center ?? true) !== (opts.scale ?? true)) {
      throw new ValueError("layers.batchNormalization: center and scale must be both true or both false (BatchNorm1d's affine switches both)");
    }
    this.affine = opts.center ?? true;
  }

  protected buildInner(inputShape: readonly number[]): AnyModule {
    // images are channels-first [batch, channels, height, width] (as st.layers.conv2d): normalize dim 1
    if (inputShape.length === 4) return new BatchNorm2d(inputShape[1]!, { momentum: 1 - this.momentum, eps: this.epsilon, affine: this.affine });
    if (inputShape.length !== 2 && inputShape.length !== 3) {
      throw new ValueError(`layers.batchNormalization: expected inputs [batch, features], [batch, steps, features] or channels-first images [batch, channels, height, width] (got [${inputShape.join(", ")}])`);
    }
    return new BatchNorm1d(inputShape[inputShape.length - 1]!, { momentum: 1 - this.momentum, eps: this.epsilon, affine: this.affine });
  }

  override forward(x: Tensor): Tensor {
    if (x.ndim !== 3) return this.runInner(x);
    // Keras normalizes the last axis; BatchNorm1d normalizes dim 1 (built from the untransposed shape)
    this.build(x.shape);
    return this.runInner(x.transpose(1, 2)).transpose(1, 2);
  }

  getConfig(): LayerConfig {
    return { momentum: this.momentum, epsilon: this.epsilon, center: this.affine, scale: this.affine };
  }
}

/** Options of `st.layers.layerNormalization` (Keras's names and defaults). */
export interface LayerNormalizationOptions {
  /** Added to the variance (Keras default 1e-3). */
  epsilon?: number;
  /** Learn γ and β (default true). */
  center?: boolean;
  /** Learn γ and β (default true; goes with `center`). */
  scale?: boolean;
  /** Shape of one input sample (needed on the first layer of a sequential model). */
  inputShape?: number[];
}

/**
 * Keras LayerNormalization over the last axis (LayerNorm with eps 1e-3).
 * @example
 * const model = st.sequential([st.layers.layerNormalization({ inputShape: [4] })]);
 * model.predict(st.tensor([[1, 2, 3, 4]], { dtype: "float32" })); // each row to mean 0, variance ≈ 1
 */
export class LayerNormalization extends KerasLayer {
  readonly className = "layerNormalization";
  /** Added to the variance (Keras default 1e-3). */
  readonly epsilon: number;
  private readonly center: boolean;
  private readonly scale: boolean;

  constructor(opts: LayerNormalizationOptions = {}) {
    super(opts.inputShape);
    this.epsilon = checkEps("layers.layerNormalization", opts.epsilon ?? 1e-3);
    this.center = opts.center ?? true;
    this.scale = opts.scale ?? true;
    if (this.center && !this.scale) throw new ValueError("layers.layerNormalization: center without scale is not supported (LayerNorm learns β only with γ)");
  }

  protected buildInner(inputShape: readonly number[]): AnyModule {
    const d = inputShape[inputShape.length - 1];
    if (d === undefined || inputShape.length < 2) throw new ValueError(`layers.layerNormalization: expected inputs [batch, …, features] (got [${inputShape.join(", ")}])`);
    return new LayerNorm(d, { eps: this.epsilon, elementwiseAffine: this.scale, bias: this.center });
  }

  getConfig(): LayerConfig {
    return { epsilon: this.epsilon, center: this.center, scale: this.scale };
  }
}
