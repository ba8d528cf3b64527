// Linear (the affine layer y = xWᵀ + b) and Identity.

import { type DType, isFloat } from "../../core/dtype.js";
import { DTypeError, ShapeError, ValueError, fmtShape } from "../../core/errors.js";
import { zeros } from "../../core/creation.js";
import type { Generator } from "../../core/random.js";
import type { Tensor } from "../../core/tensor.js";
import { linear } from "../functional/linear.js";
import { kaimingUniform_, uniform_ } from "../init.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { pyBool } from "../repr.js";
import { trustForward } from "../scratch.js";

/** Options of `Linear`. */
export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: DType;
  /** Random source of the initialization (default: the global generator). */
  generator?: Generator;
}

/** @internal A positive integer size argument, or a ValueError naming the layer. */
export function checkSize(layer: string, name: string, v: number, allowZero = false): void {
  if (!Number.isInteger(v) || v < (allowZero ? 0 : 1)) {
    throw new ValueError(`${layer}: ${name} must be a ${allowZero ? "non-negative" : "positive"} integer (got ${v})`);
  }
}

/** @internal A float dtype option, or a DTypeError naming the layer. */
export function floatDType(layer: string, d: DType | undefined): DType {
  const dtype = d ?? "float32";
  if (!isFloat(dtype)) throw new DTypeError(`${layer}: parameters must be float32 or float64 (got dtype ${dtype})`);
  return dtype;
}

/**
 * Fully connected layer y = x·Wᵀ + b on the last dim: x [..., inFeatures] → y [..., outFeatures].
 * weight is [outFeatures, inFeatures] (PyTorch's layout, so state dicts load unchanged), bias
 * [outFeatures]. Both start as U(−1/√inFeatures, 1/√inFeatures), PyTorch's default
 * (kaiming_uniform with a = √5 for the weight).
 *
 * @example
 * const fc = new st.nn.Linear(6, 8);
 * fc.call(st.randn([32, 6])).shape // [32, 8]
 */
export class Linear extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  /** Size of each input sample. */
  readonly inFeatures: number;
  /** Size of each output sample. */
  readonly outFeatures: number;
  /** W, shape [outFeatures, inFeatures] (PyTorch's layout), initialized U(±1/√inFeatures). */
  weight: Parameter;
  /** b, shape [outFeatures], initialized U(±1/√inFeatures), or null with `bias: false`. */
  bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    checkSize("Linear", "inFeatures", inFeatures, true);
    checkSize("Linear", "outFeatures", outFeatures, true);
    const dtype = floatDType("Linear", opts.dtype);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = new Parameter(zeros([outFeatures, inFeatures], { dtype }));
    this.bias = opts.bias ?? true ? new Parameter(zeros([outFeatures], { dtype })) : null;
    this.resetParameters(opts.generator);
  }

  /** Redraws weight and bias from PyTorch's default distribution U(±1/√inFeatures). */
  resetParameters(generator?: Generator): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5), generator });
    if (this.bias !== null) {
      const bound = this.inFeatures > 0 ? 1 / Math.sqrt(this.inFeatures) : 0;
      uniform_(this.bias, -bound, bound, { generator });
    }
  }

  forward(x: Tensor): Tensor {
    if (x.ndim === 0 || x.shape[x.ndim - 1] !== this.inFeatures) {
      throw new ShapeError(`Linear(in_features=${this.inFeatures}, out_features=${this.outFeatures}): expected an input whose last dim is in_features=${this.inFeatures} (got shape ${fmtShape(x.shape)})`);
    }
    return linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`;
  }
}

/**
 * Returns its input unchanged (a placeholder, e.g. to switch a layer off). Constructor arguments are ignored, as in PyTorch.
 * @example
 * const x = st.ones([2]);
 * new st.nn.Identity().call(x) === x; // true
 */
export class Identity extends Module {
  constructor(..._args: unknown[]) {
    super();
  }

  forward(x: Tensor): Tensor {
    return x;
  }
}

// their forward keeps nothing it is given or makes (nn/scratch.ts)
trustForward(Linear);
