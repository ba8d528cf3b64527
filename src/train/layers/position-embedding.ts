// positionEmbedding: a learned vector per position (KerasNLP's PositionEmbedding) over
// nn.LearnedPositionalEmbedding, for sequential models on [batch, steps, features] inputs.

import { ValueError } from "../../core/errors.js";
import type { Tensor } from "../../core/tensor.js";
import { LearnedPositionalEmbedding } from "../../nn/layers/positional.js";
import type { AnyModule } from "../../nn/module.js";
import { checkInitializer, initialize } from "./initializers.js";
import { KerasLayer, type LayerConfig } from "./keras-layer.js";

/** Options of `st.layers.positionEmbedding`. */
export interface PositionEmbeddingOptions {
  /** The longest sequence the layer takes (the number of learned position vectors). */
  sequenceLength: number;
  /** Initializer of the position vectors (KerasNLP default "glorotUniform"). */
  initializer?: string;
  /** Shape of one input sample (needed on the first layer of a sequential model). */
  inputShape?: number[];
}

/**
 * KerasNLP's PositionEmbedding, adding: [batch, steps, features] → the input plus the learned
 * vector of each step (steps ≤ sequenceLength). KerasNLP's layer returns the position vectors alone
 * for the caller to add; in a sequential model a layer has one input, so this one adds them.
 * The weight is nn.LearnedPositionalEmbedding's `weight` [sequenceLength, features], sized on the first call.
 * @example
 * const pos = st.layers.positionEmbedding({ sequenceLength: 10, inputShape: [5, 8] });
 * st.sequential([pos]).predict(st.zeros([2, 5, 8])).shape; // [2, 5, 8]: the position vectors
 */
export class PositionEmbeddingLayer extends KerasLayer {
  readonly className = "positionEmbedding";
  /** The longest sequence the layer takes. */
  readonly sequenceLength: number;
  private readonly initializer: string;

  constructor(opts: PositionEmbeddingOptions) {
    super(opts?.inputShape);
    const who = "layers.positionEmbedding";
    const n = opts?.sequenceLength;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
      throw new ValueError(`${who}: sequenceLength must be a positive integer (got ${JSON.stringify(n)})`);
    }
    this.sequenceLength = n;
    this.initializer = checkInitializer(who, opts.initializer ?? "glorotUniform");
  }

  protected buildInner(inputShape: readonly number[]): AnyModule {
    const who = "layers.positionEmbedding";
    if (inputShape.length !== 3) throw new ValueError(`${who}: expected inputs [batch, steps, features] (got [${inputShape.join(", ")}])`);
    const steps = inputShape[1]!;
    if (steps > this.sequenceLength) {
      throw new ValueError(`${who}: the input has ${steps} steps, more than sequenceLength ${this.sequenceLength}`);
    }
    const e = new LearnedPositionalEmbedding(this.sequenceLength, inputShape[2]!, { batchFirst: true });
    initialize(this.initializer, e.weight);
    return e;
  }

  override forward(x: Tensor): Tensor {
    return this.runInner(x);
  }

  getConfig(): LayerConfig {
    return { sequenceLength: this.sequenceLength, initializer: this.initializer };
  }
}
