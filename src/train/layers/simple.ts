// The Keras layers without weights: dropout, flatten and activation. Built at construction.

import { ValueError } from "../../core/errors.js";
import type { Tensor } from "../../core/tensor.js";
import { Dropout as NnDropout } from "../../nn/layers/dropout.js";
import { Flatten as NnFlatten } from "../../nn/layers/flatten.js";
import { Identity } from "../../nn/layers/linear.js";
import type { AnyModule } from "../../nn/module.js";
import { type ActivationName, activationModule, activationName } from "./activations.js";
import { KerasLayer, type LayerConfig } from "./keras-layer.js";

/** Keras Dropout: zeroes each input with probability `rate` in training, scaling the rest by 1/(1 − rate). */
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

/** Keras Flatten: [batch, d1, d2, …] → [batch, d1·d2·…]. */
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

/** Keras Activation: applies a named activation ("relu", "softmax", …). */
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
