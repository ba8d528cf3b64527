// Flatten: folds a range of dims into one (by default everything but the batch dim).

import type { Tensor } from "../../core/tensor.js";
import { IndexError, ShapeError, fmtShape } from "../../core/errors.js";
import { flatten, reshape } from "../../ops/shape.js";
import { Module } from "../module.js";

/**
 * Flattens dims startDim..endDim into one: [N, C, L] → [N, C·L] with the defaults (1, −1).
 * No copy: the result is a view of the input.
 * @example new st.nn.Flatten().call(st.zeros([2, 3, 4])).shape // [2, 12]
 */
export class Flatten extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  /** First dim flattened (default 1, keeping the batch dim). */
  readonly startDim: number;
  /** Last dim flattened (default −1). */
  readonly endDim: number;

  constructor(startDim = 1, endDim = -1) {
    super();
    this.startDim = startDim;
    this.endDim = endDim;
  }

  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

/**
 * Unflattens dim `dim` into `sizes` (the inverse of Flatten; one size may be −1):
 * [N, 12] → [N, 3, 4] with Unflatten(1, [3, 4]). No copy: a view of the input.
 * @example new st.nn.Unflatten(1, [3, 4]).call(st.zeros([2, 12])).shape // [2, 3, 4]
 */
export class Unflatten extends Module {
  static override readonly tensorInputs: readonly string[] = ["input"];
  /** The dim unflattened (negative counts from the end). */
  readonly dim: number;
  /** The sizes it is split into; their product is that dim's size (one may be −1, inferred). */
  readonly sizes: number[];

  constructor(dim: number, sizes: readonly number[]) {
    super();
    this.dim = dim;
    this.sizes = sizes.slice();
  }

  forward(x: Tensor): Tensor {
    const d = this.dim < 0 ? this.dim + x.ndim : this.dim;
    if (!(d >= 0 && d < x.ndim)) throw new IndexError(`Unflatten: dim ${this.dim} is out of range for a ${x.ndim}-D input (shape ${fmtShape(x.shape)})`);
    const known = this.sizes.reduce((a, s) => (s === -1 ? a : a * s), 1);
    const n = x.shape[d]!;
    if (this.sizes.filter((s) => s === -1).length > 1 || (this.sizes.includes(-1) ? n % known !== 0 : known !== n)) {
      throw new ShapeError(`Unflatten: sizes ${fmtShape(this.sizes)} do not multiply to dim ${this.dim} of size ${n} (input shape ${fmtShape(x.shape)})`);
    }
    return reshape(x, [...x.shape.slice(0, d), ...this.sizes, ...x.shape.slice(d + 1)]);
  }

  override extraRepr(): string {
    return `dim=${this.dim}, unflattened_size=(${this.sizes.join(", ")})`;
  }
}
