// LayerNorm: normalization of each sample over its trailing dims (the Transformer's norm).

import type { DType } from "../../core/dtype.js";
import { ShapeError, ValueError, fmtShape } from "../../core/errors.js";
import { ones, zeros } from "../../core/creation.js";
import { shapesEqual } from "../../core/shape.js";
import type { Tensor } from "../../core/tensor.js";
import { layerNorm } from "../functional/normalization.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { pyBool, pyFloat, pyTuple } from "../repr.js";
import { floatDType } from "./linear.js";
import { trustForward } from "../scratch.js";

/** Options of `LayerNorm`. */
export interface LayerNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn an elementwise scale γ (and shift β) of shape normalizedShape (default true). */
  elementwiseAffine?: boolean;
  /** Learn the shift β too (default true; only with elementwiseAffine). */
  bias?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

/**
 * Layer normalization over the trailing dims `normalizedShape` of each sample:
 *
 *   y = (x − μ)/√(σ² + ε)·γ + β,  μ, σ² the mean and biased variance over those dims,
 *
 * computed two-pass (large offsets keep their precision; constant rows give 0, not NaN).
 *
 * @example
 * const ln = new st.nn.LayerNorm(512);
 * ln.call(st.randn([8, 10, 512])).shape // [8, 10, 512]
 */
export class LayerNorm extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  /** The trailing shape normalized over. */
  readonly normalizedShape: number[];
  /** Added to the variance for stability (default 1e-5). */
  readonly eps: number;
  /** Whether the layer has learnable γ (weight) and β (bias) (default true). */
  readonly elementwiseAffine: boolean;
  /** γ with `normalizedShape` (initialized to 1), or null. */
  weight: Parameter | null;
  /** β with `normalizedShape` (initialized to 0), or null. */
  bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], opts: LayerNormOptions = {}) {
    super();
    const ns = typeof normalizedShape === "number" ? [normalizedShape] : [...normalizedShape];
    if (ns.length === 0 || ns.some((d) => !Number.isInteger(d) || d < 1)) {
      throw new ValueError(`LayerNorm: normalizedShape must be a positive integer or a non-empty list of them (got ${JSON.stringify(normalizedShape)})`);
    }
    const dtype = floatDType("LayerNorm", opts.dtype);
    this.normalizedShape = ns;
    this.eps = opts.eps ?? 1e-5;
    if (!(this.eps >= 0)) throw new ValueError(`LayerNorm: eps must be >= 0 (got ${this.eps})`);
    this.elementwiseAffine = opts.elementwiseAffine ?? true;
    this.weight = this.elementwiseAffine ? new Parameter(ones(ns, { dtype })) : null;
    this.bias = this.elementwiseAffine && (opts.bias ?? true) ? new Parameter(zeros(ns, { dtype })) : null;
  }

  forward(x: Tensor): Tensor {
    const k = this.normalizedShape.length;
    if (x.ndim < k || !shapesEqual(x.shape.slice(x.ndim - k), this.normalizedShape)) {
      throw new ShapeError(`LayerNorm(${pyTuple(this.normalizedShape)}): expected an input whose trailing dims are ${fmtShape(this.normalizedShape)} (got shape ${fmtShape(x.shape)})`);
    }
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${pyTuple(this.normalizedShape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyBool(this.elementwiseAffine)}`;
  }
}

// their forward keeps nothing it is given or makes (nn/scratch.ts)
trustForward(LayerNorm);
