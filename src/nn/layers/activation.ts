// Activation layers: thin modules over nn.functional's stable activations. PReLU is the only one
// with a parameter (its learnable negative slope).

import type { DType } from "../../core/dtype.js";
import { ValueError } from "../../core/errors.js";
import { full } from "../../core/creation.js";
import type { Tensor } from "../../core/tensor.js";
import * as F from "../functional/activation.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { pyFloat } from "../repr.js";
import { checkSize, floatDType } from "./linear.js";
import { trustForward } from "../scratch.js";

/** σ(x) = 1/(1 + e⁻ˣ). @example new st.nn.Sigmoid().call(st.tensor([0])) // [0.5] */
export class Sigmoid extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  forward(x: Tensor): Tensor {
    return F.sigmoid(x);
  }
}

/**
 * tanh(x).
 * @example new st.nn.Tanh().call(st.tensor([0, 1], { dtype: "float32" })); // [0, 0.76159] (float32)
 */
export class Tanh extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  forward(x: Tensor): Tensor {
    return F.tanh(x);
  }
}

/** max(x, 0), gradient 0 at 0. @example new st.nn.ReLU().call(st.tensor([-1, 2])) // [0, 2] */
export class ReLU extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  forward(x: Tensor): Tensor {
    return F.relu(x);
  }
}

/** x for x > 0, negativeSlope·x otherwise (default slope 0.01). @example new st.nn.LeakyReLU(0.2) */
export class LeakyReLU extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  /** Slope for x < 0 (default 0.01). */
  readonly negativeSlope: number;

  constructor(negativeSlope = 0.01) {
    super();
    if (!Number.isFinite(negativeSlope)) throw new ValueError(`LeakyReLU: negativeSlope must be finite (got ${negativeSlope})`);
    this.negativeSlope = negativeSlope;
  }

  forward(x: Tensor): Tensor {
    return F.leakyRelu(x, this.negativeSlope);
  }

  override extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}`;
  }
}

/**
 * PReLU: x for x > 0, a·x otherwise with a learnable slope a — one shared (numParameters = 1) or
 * one per channel (dim 1 of the input), initialized to `init` (default 0.25).
 * @example new st.nn.PReLU(16).call(st.randn([8, 16, 10]))
 */
export class PReLU extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  /** The slopes [numParameters] (`numParameters()` is Module's parameter count, so no field of that name). */
  weight: Parameter;

  constructor(numParameters = 1, init = 0.25, opts: { dtype?: DType } = {}) {
    super();
    checkSize("PReLU", "numParameters", numParameters);
    this.weight = new Parameter(full([numParameters], init, { dtype: floatDType("PReLU", opts.dtype) }));
  }

  forward(x: Tensor): Tensor {
    return F.prelu(x, this.weight);
  }

  override extraRepr(): string {
    return `num_parameters=${this.weight.size}`;
  }
}

/**
 * ELU: x for x > 0, α(eˣ − 1) otherwise (default α = 1), via expm1 of min(x, 0).
 * @example new st.nn.ELU().call(st.tensor([-1, 2], { dtype: "float32" })); // [-0.63212, 2] (float32)
 */
export class ELU extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  /** α: the negative saturation value (default 1). */
  readonly alpha: number;

  constructor(alpha = 1) {
    super();
    this.alpha = alpha;
  }

  forward(x: Tensor): Tensor {
    return F.elu(x, this.alpha);
  }

  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}`;
  }
}

/**
 * SELU: λ·ELU(x, α) with α ≈ 1.6733, λ ≈ 1.0507 (self-normalizing networks; pair with lecunNormal_).
 * @example new st.nn.SELU().call(st.tensor([-1, 1], { dtype: "float32" })); // [-1.1113, 1.0507] (float32)
 */
export class SELU extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  forward(x: Tensor): Tensor {
    return F.selu(x);
  }
}

/** GELU x·Φ(x), exact (erf) or with `approximate: "tanh"`. @example new st.nn.GELU({ approximate: "tanh" }) */
export class GELU extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  /** "none" (exact, with erf; default) or "tanh" (the tanh approximation). */
  readonly approximate: F.GeluApproximate;

  constructor(opts: { approximate?: F.GeluApproximate } | F.GeluApproximate = {}) {
    super();
    const a = typeof opts === "string" ? opts : opts.approximate ?? "none";
    if (a !== "none" && a !== "tanh") throw new ValueError(`GELU: approximate must be "none" or "tanh" (got ${String(a)})`);
    this.approximate = a;
  }

  forward(x: Tensor): Tensor {
    return F.gelu(x, this.approximate);
  }

  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/**
 * softplus (1/β)·log(1 + e^(βx)), linear where βx > threshold (defaults β = 1, threshold = 20).
 * @example new st.nn.Softplus().call(st.tensor([0, 100], { dtype: "float32" })); // [0.69315, 100] (float32)
 */
export class Softplus extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  /** β in softplus(x) = log(1 + e^(βx))/β (default 1). */
  readonly beta: number;
  /** Above βx > threshold the layer returns x (default 20), as PyTorch does. */
  readonly threshold: number;

  constructor(beta = 1, threshold = 20) {
    super();
    if (!(beta > 0) || !Number.isFinite(beta)) throw new ValueError(`Softplus: beta must be a finite number > 0 (got ${beta})`);
    this.beta = beta;
    this.threshold = threshold;
  }

  forward(x: Tensor): Tensor {
    return F.softplus(x, this.beta, this.threshold);
  }

  override extraRepr(): string {
    return `beta=${pyFloat(this.beta)}, threshold=${pyFloat(this.threshold)}`;
  }
}

/**
 * softmax along `dim` (default −1).
 * @example new st.nn.Softmax().call(st.tensor([[0, 0]], { dtype: "float32" })); // [[0.5, 0.5]] (float32)
 */
export class Softmax extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  /** The dim normalized over (default −1). */
  readonly dim: number;

  constructor(dim = -1) {
    super();
    this.dim = dim;
  }

  forward(x: Tensor): Tensor {
    return F.softmax(x, this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/**
 * log softmax along `dim` (default −1). Pair with NLLLoss, or use CrossEntropyLoss on logits.
 * @example new st.nn.LogSoftmax().call(st.tensor([[0, 0]], { dtype: "float32" })); // [[-0.69315, -0.69315]] (float32)
 */
export class LogSoftmax extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  /** The dim normalized over (default −1). */
  readonly dim: number;

  constructor(dim = -1) {
    super();
    this.dim = dim;
  }

  forward(x: Tensor): Tensor {
    return F.logSoftmax(x, this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

// their forward keeps nothing it is given or makes (nn/scratch.ts)
trustForward(ReLU, GELU);
