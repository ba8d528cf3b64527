// Dropout as a layer: active in training mode, the identity in eval mode.

import { ValueError } from "../../core/errors.js";
import type { Generator } from "../../core/random.js";
import type { Tensor } from "../../core/tensor.js";
import { dropout } from "../functional/dropout.js";
import { Module } from "../module.js";
import { pyFloat } from "../repr.js";
import { trustForward } from "../scratch.js";

/** Options of `Dropout`. */
export interface DropoutOptions {
  /** Random source of the masks (default: the global generator); seed it for reproducible runs. */
  generator?: Generator;
}

/**
 * Inverted dropout: in training mode each element is zeroed with probability p and the rest are
 * scaled by 1/(1 − p) (so the expected output equals the input); in eval mode the identity.
 *
 * @example
 * const drop = new st.nn.Dropout(0.1, { generator: new st.Generator(0) });
 * const x = st.ones([2, 4]);
 * drop.eval().call(x) === x; // true
 */
export class Dropout extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  /** Probability of zeroing an element in training (default 0.5). */
  readonly p: number;
  /** Random source of the masks (default: the global generator). */
  generator: Generator | undefined;

  constructor(p = 0.5, opts: DropoutOptions = {}) {
    super();
    if (!(p >= 0 && p <= 1)) throw new ValueError(`Dropout: p must lie in [0, 1] (got ${p})`);
    this.p = p;
    this.generator = opts.generator;
  }

  forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training, this.generator);
  }

  override extraRepr(): string {
    return `p=${pyFloat(this.p)}`;
  }
}

// their forward keeps nothing it is given or makes (nn/scratch.ts)
trustForward(Dropout);
