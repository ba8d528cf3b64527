// The Keras layers without weights: dropout, flatten and activation. Built at construction.

import { ValueError } from "../../core/errors.js";
import type { Tensor } from "../../core/tensor.js";
import { Dropout as NnDropout } from "../../nn/layers/dropout.js";
import { Flatten as NnFlatten } from "../../nn/layers/flatten.js";
import { Identity } from "../../nn/layers/linear.js";
import type { AnyModule } from "../../nn/module.js";
import { type ActivationName, activationModule, activationName } from "./activations.js";
import { KerasLayer, type LayerConfig } from "./keras-layer.js";

/**
 * Keras Dropout: zeroes each input with probability `rate` in training, scaling the rest by 1/(1 − rate).
 * @example
 * const model = st.sequential([st.layers.dense({ units: 4, inputShape: [3] }), st.layers.dropout({ rate: 0.5 })]);
 * model.predict(st.ones([2, 3])).shape; // [2, 4] (predict runs in eval mode: no dropout)
 */
export class DropoutLayer extends KerasLayer {
  readonly className = "dropout";
  /** Probability of zeroing an input in training. */
  readonly rate: number;

  constructor(opts: { rate: number; inputShape?: number[] }) {
    super(opts?.inputShape);
    const rate = opts?.rate;
    if (typeof rate !== "number" || !(rate >= 0 && rate < 1)) throw new ValueError(`layers.dropout: rate must lie in [0, 1) (got ${JSON.stringify(rate)})`);
    this.rate = rate;
    this.build([]);
  }

  protected buildInner(): AnyModule {
    return new NnDropout(this.rate);
  }

  getConfig(): LayerConfig {
    return { rate: this.rate };
  }
}

/**
 * Keras Flatten: [batch, d1, d2, …] → [batch, d1·d2·…].
 * @example st.sequential([st.layers.flatten({ inputShape: [2, 3] })]).predict(st.ones([5, 2, 3])).shape; // [5, 6]
 */
export class FlattenLayer extends KerasLayer {
  readonly className = "flatten";

  constructor(opts: { inputShape?: number[] } = {}) {
    super(opts.inputShape);
    this.build([]);
  }

  protected buildInner(): AnyModule {
    return new NnFlatten(1, -1);
  }

  getConfig(): LayerConfig {
    return {};
  }
}

/**
 * Keras Activation: applies a named activation ("relu", "softmax", …).
 * @example st.sequential([st.layers.activation({ activation: "relu", inputShape: [2] })]).predict(st.tensor([[-1, 2]], { dtype: "float32" })); // [[0, 2]]
 */
export class ActivationLayer extends KerasLayer {
  readonly className = "activation";
  /** The activation applied. */
  readonly activation: ActivationName;

  constructor(opts: { activation: string; inputShape?: number[] }) {
    super(opts?.inputShape);
    this.activation = activationName("layers.activation", opts?.activation);
    this.build([]);
  }

  protected buildInner(): AnyModule {
    return activationModule(this.activation) ?? new Identity();
  }

  override forward(x: Tensor): Tensor {
    return this.runInner(x);
  }

  getConfig(): LayerConfig {
    return { activation: this.activation };
  }
}
