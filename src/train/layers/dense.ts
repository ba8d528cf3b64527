// Dense: Keras's fully connected layer, y = activation(x·Wᵀ + b), over an nn.Linear whose input
// size is taken from the first input when `inputShape` is not given.

import { ValueError } from "../../core/errors.js";
import type { Tensor } from "../../core/tensor.js";
import { constrain } from "../../nn/constraints.js";
import { Linear } from "../../nn/layers/linear.js";
import type { AnyModule } from "../../nn/module.js";
import { regularize } from "../../nn/regularizers.js";
import { type ActivationName, activationModule, activationName } from "./activations.js";
import {
  type ConstraintSpec, type RegularizerSpec, checkInitializer, constraintToJson, initialize, regularizerToJson, resolveConstraint, resolveRegularizer,
} from "./initializers.js";
import { KerasLayer, type LayerConfig } from "./keras-layer.js";

/** Options of `st.layers.dense`. */
export interface DenseOptions {
  /** Output size (required). */
  units: number;
  /** Activation applied to the output (Keras names; default "linear" = none). */
  activation?: ActivationName | "leaky_relu" | "log_softmax" | null;
  /** Learn a bias (default true). */
  useBias?: boolean;
  /** Weight initializer (Keras default "glorotUniform"). */
  kernelInitializer?: string;
  /** Bias initializer (Keras default "zeros"). */
  biasInitializer?: string;
  /** Penalty on the weight, added to the training loss ("l2", st.nn.L2(1e-4), …). */
  kernelRegularizer?: RegularizerSpec | null;
  /** Penalty on the bias. */
  biasRegularizer?: RegularizerSpec | null;
  /** Projection applied to the weight after each optimizer step ("maxNorm", st.nn.nonNeg(), …). */
  kernelConstraint?: ConstraintSpec | null;
  /** Per-sample input shape without the batch dim (e.g. [64]); builds the weights at once. */
  inputShape?: number[];
}

/**
 * The Keras Dense layer; its weight is PyTorch's Linear weight, laid out [units, inFeatures].
 * @example
 * const layer = st.layers.dense({ units: 2, activation: "relu", inputShape: [3] });
 * st.sequential([layer]).predict(st.ones([4, 3])).shape; // [4, 2]
 */
export class Dense extends KerasLayer {
  readonly className = "dense";
  /** Output size. */
  readonly units: number;
  /** Activation applied to the output ("linear" for none). */
  readonly activation: ActivationName;
  private readonly act: AnyModule | null;
  private readonly opts: DenseOptions;

  constructor(opts: DenseOptions) {
    super(opts?.inputShape);
    if (typeof opts !== "object" || opts === null || !Number.isInteger(opts.units) || opts.units < 1) {
      throw new ValueError(`layers.dense: units must be a positive integer (got ${JSON.stringify(opts?.units)})`);
    }
    this.units = opts.units;
    this.activation = activationName("layers.dense", opts.activation);
    this.act = activationModule(this.activation);
    checkInitializer("layers.dense", opts.kernelInitializer ?? "glorotUniform");
    checkInitializer("layers.dense", opts.biasInitializer ?? "zeros");
    // validated now, so a bad spec fails at construction rather than at the first batch
    resolveRegularizer("layers.dense", opts.kernelRegularizer);
    resolveRegularizer("layers.dense", opts.biasRegularizer);
    resolveConstraint("layers.dense", opts.kernelConstraint);
    this.opts = { ...opts };
  }

  protected buildInner(inputShape: readonly number[]): AnyModule {
    const inFeatures = inputShape[inputShape.length - 1];
    if (inFeatures === undefined || inputShape.length < 2) {
      throw new ValueError(`layers.dense(units=${this.units}): expected inputs of shape [batch, …, features] (got [${inputShape.join(", ")}])`);
    }
    const o = this.opts;
    const lin = new Linear(inFeatures, this.units, { bias: o.useBias ?? true });
    initialize(checkInitializer("layers.dense", o.kernelInitializer ?? "glorotUniform"), lin.weight);
    if (lin.bias !== null) initialize(checkInitializer("layers.dense", o.biasInitializer ?? "zeros"), lin.bias);
    const kr = resolveRegularizer("layers.dense", o.kernelRegularizer);
    if (kr !== null) regularize(lin.weight, kr);
    const br = resolveRegularizer("layers.dense", o.biasRegularizer);
    if (br !== null && lin.bias !== null) regularize(lin.bias, br);
    const kc = resolveConstraint("layers.dense", o.kernelConstraint);
    if (kc !== null) constrain(lin.weight, kc);
    return lin;
  }

  /** The pre-activation output x·Wᵀ + b (what `fit` trains on when the activation is softmax/sigmoid). */
  logits(x: Tensor): Tensor {
    return this.runInner(x);
  }

  override forward(x: Tensor): Tensor {
    const z = this.runInner(x);
    return this.act === null ? z : (this.act.call(z) as Tensor);
  }

  getConfig(strict = false): LayerConfig {
    const o = this.opts;
    const reg = (r: RegularizerSpec | null | undefined): unknown => {
      const v = resolveRegularizer("layers.dense", r);
      if (strict) return regularizerToJson("Model.save: layers.dense", v);
      return v === null ? null : String(v);
    };
    return {
      units: this.units,
      activation: this.activation,
      useBias: o.useBias ?? true,
      kernelInitializer: o.kernelInitializer ?? "glorotUniform",
      biasInitializer: o.biasInitializer ?? "zeros",
      kernelRegularizer: reg(o.kernelRegularizer),
      biasRegularizer: reg(o.biasRegularizer),
      kernelConstraint: strict ? constraintToJson("Model.save: layers.dense", o.kernelConstraint) : o.kernelConstraint === undefined || o.kernelConstraint === null ? null : String(o.kernelConstraint),
    };
  }

  override extraRepr(): string {
    const parts = [`units=${this.units}`];
    if (this.activation !== "linear") parts.push(`activation=${this.activation}`);
    if (this.opts.useBias === false) parts.push("useBias=false");
    return parts.join(", ");
  }
}
