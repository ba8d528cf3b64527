// Flatten: folds a range of dims into one (by default everything but the batch dim).

import type { Tensor } from "../../core/tensor.js";
import { flatten } from "../../ops/shape.js";
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
