// flip and roll: reorderings along dims. flip selects with a reversed index per dim; roll joins
// two narrowed pieces.

import { ValueError } from "../core/errors.js";
import { normalizeDim } from "../core/shape.js";
import type { Tensor } from "../core/tensor.js";
import { checkTensorArg } from "../core/validate.js";
import { tensor } from "../core/creation.js";
import { add, cast } from "./elementwise.js";
import { indexSelect } from "./indexing.js";
import { cat, flatten, narrow, reshape } from "./shape.js";

/**
 * Reverses the order of entries along each of `dims` (a copy).
 * @example
 * ```ts
 * st.flip(st.tensor([[1, 2], [3, 4]]), [1]) // [[2, 1], [4, 3]]
 * ```
 */
export function flip(x: Tensor, dims: number | readonly number[]): Tensor {
  checkTensorArg("flip", "the input", x);
  const list = typeof dims === "number" ? [dims] : [...dims];
  const ds = list.map((d) => normalizeDim("flip", d, x.ndim));
  if (new Set(ds).size !== ds.length) throw new ValueError(`flip: dims [${list.join(", ")}] repeat a dim (expected each dim once)`);
  // one indexSelect per dim with a reversed index: its gradient (indexAdd) and that gradient's
  // gradient (indexSelect) are primitives, so flips differentiate to any order
  let out = x;
  for (const d of ds) {
    const n = x.shape[d]!;
    if (n <= 1) continue;
    out = indexSelect(out, d, tensor(Int32Array.from({ length: n }, (_, i) => n - 1 - i), { shape: [n], dtype: "int32" }));
  }
  // nothing to reverse: still a copy (as PyTorch), of the same dtype (bool + 0 would be int32)
  return out === x ? cast(add(x, 0), x.dtype) : out;
}

/**
 * Shifts entries cyclically by `shifts` along `dims` (entries leaving the end re-enter at the
 * start). Without dims, the flattened tensor is rolled and the shape restored.
 * @example
 * ```ts
 * st.roll(st.tensor([1, 2, 3, 4]), 1) // [4, 1, 2, 3]
 * ```
 */
export function roll(x: Tensor, shifts: number | readonly number[], dims?: number | readonly number[]): Tensor {
  checkTensorArg("roll", "the input", x);
  const sh = typeof shifts === "number" ? [shifts] : [...shifts];
  if (sh.some((s) => !Number.isInteger(s))) throw new ValueError(`roll: shifts must be integers (got [${sh.join(", ")}])`);
  if (dims === undefined) {
    if (sh.length !== 1) throw new ValueError(`roll: without dims, expected one shift (got ${sh.length})`);
    return reshape(roll(flatten(x), sh[0]!, 0), x.shape);
  }
  const ds = typeof dims === "number" ? [dims] : [...dims];
  if (ds.length !== sh.length) throw new ValueError(`roll: got ${sh.length} shift(s) for ${ds.length} dim(s) (expected one shift per dim)`);
  let out = x;
  ds.forEach((dim, i) => {
    const d = normalizeDim("roll", dim, x.ndim);
    const n = x.shape[d]!;
    if (n === 0) return;
    const s = ((sh[i]! % n) + n) % n;
    if (s === 0) return;
    out = cat([narrow(out, d, n - s, s), narrow(out, d, 0, n - s)], d);
  });
  return out;
}
