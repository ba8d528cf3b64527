// KerasLayer: the base of the `st.layers` factories. A Keras layer is an ordinary nn.Module that
// wraps one PyTorch-style module (`inner`: Linear, BatchNorm1d, …) and creates it on the first call
// when its input size is not known yet (Keras's lazy build). Its state-dict entries are the inner
// module's, unprefixed, so `st.sequential([dense, dense])` has PyTorch's keys `0.weight`, `1.bias`.

import { ValueError } from "../../core/errors.js";
import type { Tensor } from "../../core/tensor.js";
import { type AnyModule, Module, type ModuleMember } from "../../nn/module.js";

/** JSON-serializable layer settings, as written to a saved model's config.json. */
export type LayerConfig = Record<string, unknown>;

/** What `model.save` writes per layer: the factory name and its settings (Keras's `get_config`). */
export interface LayerSpec {
  /** The `st.layers` factory: "dense", "dropout", "batchNormalization", … */
  className: string;
  /** The factory's settings (Keras's `get_config`). */
  config: LayerConfig;
}

/**
 * Base class of the Keras-style layers. Subclasses implement `buildInner(inputShape)` (the shape
 * of one batch) and may override `forward`; `inner` is null until built.
 * @example
 * const layer = st.layers.dense({ units: 2, inputShape: [3] }); // every st.layers factory returns a KerasLayer
 * layer instanceof st.nn.Module; // true: a Keras layer is an ordinary module
 */
export abstract class KerasLayer extends Module {
  /** The factory name (`dense`, …), written to config.json so `loadModel` can rebuild the layer. */
  abstract readonly className: string;
  /** The wrapped module; null until the layer is built. */
  inner: AnyModule | null = null;
  /** Per-sample input shape given as `inputShape` (no batch dim), if any. */
  readonly inputShape: number[] | undefined;

  constructor(inputShape?: readonly number[]) {
    super();
    if (inputShape !== undefined) {
      if (!Array.isArray(inputShape) || inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
        throw new ValueError(`st.layers: inputShape must be a list of positive integers without the batch dim, e.g. [64] (got ${JSON.stringify(inputShape)})`);
      }
    }
    this.inputShape = inputShape === undefined ? undefined : [...inputShape];
  }

  /** Whether the weights exist (the input size is known). */
  get built(): boolean {
    return this.inner !== null;
  }

  /** The dtype of inputs this layer expects when the model is built from `inputShape` alone. */
  get inputDType(): "float32" | "int32" {
    return "float32";
  }

  /** Creates `inner` for inputs of `inputShape` (batch dim included). */
  protected abstract buildInner(inputShape: readonly number[]): AnyModule;

  /** Builds the layer for inputs of `inputShape` (batch dim included), if not built yet. */
  build(inputShape: readonly number[]): void {
    if (this.inner === null) this.inner = this.buildInner(inputShape);
  }

  /**
   * The settings `st.layers[className](config)` rebuilds this layer from. With `strict` (saving),
   * settings that JSON cannot hold (a custom regularizer function) raise a ValueError.
   */
  abstract getConfig(strict?: boolean): LayerConfig;

  /** `{className, config}` for config.json. */
  toSpec(): LayerSpec {
    const config = this.getConfig(true);
    if (this.inputShape !== undefined) config.inputShape = this.inputShape;
    return { className: this.className, config };
  }

  // The inner module's parameters and buffers are this layer's own (no `inner.` key prefix).
  override _members(): ModuleMember[] {
    return this.inner === null ? [] : this.inner._members();
  }

  /** Runs the inner module (building it from `x` first), in this layer's training mode. */
  protected runInner(x: Tensor): Tensor {
    this.build(x.shape);
    const inner = this.inner!;
    // train()/eval() reach this layer but not `inner`, which is not a child (see _members)
    if (inner.training !== this.training) inner.train(this.training);
    return inner.call(x) as Tensor;
  }

  forward(x: Tensor): Tensor {
    return this.runInner(x);
  }

  override extraRepr(): string {
    return Object.entries(this.getConfig())
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
      .join(", ");
  }

  override toString(): string {
    return `${this.constructor.name}(${this.extraRepr()})${this.built ? "" : " [not built]"}`;
  }
}
