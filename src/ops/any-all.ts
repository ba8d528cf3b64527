// any / all: logical reductions of any dtype (nonzero, NaN included, counts as true) to bool.

import { normalizeDims } from "../core/shape.js";
import type { Tensor } from "../core/tensor.js";
import { checkTensorArg } from "../core/validate.js";
import { cast, eq, gt, ne } from "./elementwise.js";
import { sum } from "./reduce.js";

type Dims = number | readonly number[];

function countWhere(op: string, x: Tensor, hit: Tensor, dims: Dims | undefined, keepdim: boolean): Tensor {
  const d = normalizeDims(op, dims as number | number[] | undefined, x.ndim);
  return sum(cast(hit, "int32"), d, keepdim);
}

/**
 * True where any entry along `dims` (all dims by default) is nonzero; a bool tensor. An empty
 * reduction is false.
 * @example
 * ```ts
 * st.any(st.tensor([[0, 1], [0, 0]]), 1) // [true, false]
 * ```
 */
export function any(x: Tensor, dims?: Dims, keepdim = false): Tensor {
  checkTensorArg("any", "the input", x);
  return gt(countWhere("any", x, ne(x, 0), dims, keepdim), 0);
}

/**
 * True where every entry along `dims` (all dims by default) is nonzero; a bool tensor. An empty
 * reduction is true.
 * @example
 * ```ts
 * st.all(st.tensor([[1, 1], [0, 1]]), 1) // [true, false]
 * ```
 */
export function all(x: Tensor, dims?: Dims, keepdim = false): Tensor {
  checkTensorArg("all", "the input", x);
  return eq(countWhere("all", x, eq(x, 0), dims, keepdim), 0);
}
