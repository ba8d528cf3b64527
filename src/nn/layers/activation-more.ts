// Module forms of the issue-15 activations (SiLU, Mish, Hardtanh, Hardswish, LogSigmoid, Softsign)
// and of cosine similarity: thin wrappers over nn/functional/activation-more.ts.

import { ValueError } from "../../core/errors.js";
import type { Tensor } from "../../core/tensor.js";
import * as F from "../functional/activation-more.js";
import { Module } from "../module.js";
import { pyFloat } from "../repr.js";

/** SiLU (swish) x·σ(x). @example new st.nn.SiLU().call(st.tensor([1])) // [0.7311] */
export class SiLU extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  forward(x: Tensor): Tensor {
    return F.silu(x);
  }
}

/** Mish x·tanh(softplus(x)). @example new st.nn.Mish().call(st.tensor([1])) // [0.8651] */
export class Mish extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  forward(x: Tensor): Tensor {
    return F.mish(x);
  }
}

/** x clipped to [minVal, maxVal] (defaults −1, 1). @example new st.nn.Hardtanh(-2, 2).call(st.tensor([3])) // [2] */
export class Hardtanh extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  /** Lower clip bound (default −1). */
  readonly minVal: number;
  /** Upper clip bound (default 1). */
  readonly maxVal: number;

  constructor(minVal = -1, maxVal = 1) {
    super();
    if (!(minVal <= maxVal)) throw new ValueError(`Hardtanh: minVal must be <= maxVal (got minVal ${minVal}, maxVal ${maxVal})`);
    this.minVal = minVal;
    this.maxVal = maxVal;
  }

  forward(x: Tensor): Tensor {
    return F.hardtanh(x, this.minVal, this.maxVal);
  }

  override extraRepr(): string {
    return `min_val=${pyFloat(this.minVal)}, max_val=${pyFloat(this.maxVal)}`;
  }
}

/** Hardswish x·relu6(x + 3)/6. @example new st.nn.Hardswish().call(st.tensor([1])) // [0.6667] */
export class Hardswish extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  forward(x: Tensor): Tensor {
    return F.hardswish(x);
  }
}

/** log σ(x), stable at ±1e4. @example new st.nn.LogSigmoid().call(st.tensor([-1e4])) // [-10000] */
export class LogSigmoid extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  forward(x: Tensor): Tensor {
    return F.logsigmoid(x);
  }
}

/** Softsign x/(1 + |x|). @example new st.nn.Softsign().call(st.tensor([1])) // [0.5] */
export class Softsign extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  forward(x: Tensor): Tensor {
    return F.softsign(x);
  }
}

/**
 * Cosine similarity of two inputs along `dim` (default 1), norms floored at eps (default 1e-8).
 * @example new st.nn.CosineSimilarity({ dim: 1 }).call(st.randn([4, 8]), st.randn([4, 8])).shape // [4]
 */
export class CosineSimilarity extends Module<[Tensor, Tensor], Tensor> {
  static override readonly tensorInputs: readonly string[] = ["x1", "x2"];
  /** The dim the similarity is computed along (default 1). */
  readonly dim: number;
  /** Floor of each norm, avoiding division by zero (default 1e-8). */
  readonly eps: number;

  constructor(opts: { dim?: number; eps?: number } = {}) {
    super();
    this.dim = opts.dim ?? 1;
    this.eps = opts.eps ?? 1e-8;
  }

  forward(x1: Tensor, x2: Tensor): Tensor {
    return F.cosineSimilarity(x1, x2, this.dim, this.eps);
  }

  override extraRepr(): string {
    return `dim=${this.dim}, eps=${pyFloat(this.eps)}`;
  }
}
