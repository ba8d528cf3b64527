// Grids and plain constructors of the toolbox: meshgrid ("ij" or "xy" indexing), logspace, empty.

import { linspace, zeros, type TensorOptions } from "../core/creation.js";
import { ShapeError, ValueError, fmtShape } from "../core/errors.js";
import { Tensor } from "../core/tensor.js";
import { cast, pow } from "./elementwise.js";
import { expand, reshape } from "./shape.js";

/**
 * Coordinate grids from 1-D tensors: with n inputs of lengths L₀…Lₙ₋₁, n tensors of shape
 * [L₀, …, Lₙ₋₁] ("ij", matrix indexing, the default) where output i varies along dim i. "xy"
 * (Cartesian) swaps the first two dims, as NumPy's default. Differentiable (expand).
 * @example
 * ```ts
 * const [gx, gy] = st.meshgrid([st.tensor([1, 2]), st.tensor([3, 4, 5])]);
 * // gx [[1, 1, 1], [2, 2, 2]], gy [[3, 4, 5], [3, 4, 5]]
 * ```
 */
export function meshgrid(tensors: readonly Tensor[], opts: { indexing?: "ij" | "xy" } = {}): Tensor[] {
  const indexing = opts.indexing ?? "ij";
  if (indexing !== "ij" && indexing !== "xy") throw new ValueError(`meshgrid: indexing must be "ij" or "xy" (got ${JSON.stringify(indexing)})`);
  if (!Array.isArray(tensors) || tensors.length === 0) throw new ValueError("meshgrid: expected a non-empty array of tensors");
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new ValueError(`meshgrid: entry ${i} is not a Tensor`);
    if (t.ndim > 1) throw new ShapeError(`meshgrid: tensor ${i} has shape ${fmtShape(t.shape)} (expected 0-D or 1-D)`);
  });
  const n = tensors.length;
  const lens = tensors.map((t) => t.size);
  const swap = indexing === "xy" && n >= 2;
  const outShape = lens.slice();
  if (swap) [outShape[0], outShape[1]] = [outShape[1]!, outShape[0]!];
  return tensors.map((t, i) => {
    const at = swap && i < 2 ? 1 - i : i;
    const shape = outShape.map((_, j) => (j === at ? lens[i]! : 1));
    return expand(reshape(t, shape), outShape);
  });
}

/**
 * `steps` values base^s for s evenly spaced from `start` to `end` (base 10 by default), like
 * PyTorch's logspace. float32 unless opts.dtype says otherwise.
 * @example
 * ```ts
 * st.logspace(0, 2, 3) // [1, 10, 100]
 * ```
 */
export function logspace(start: number, end: number, steps: number, base = 10, opts?: TensorOptions): Tensor {
  if (typeof base !== "number" || !Number.isFinite(base)) throw new ValueError(`logspace: base must be a finite number (got ${String(base)})`);
  const dtype = opts?.dtype ?? "float32";
  // exponents and powers in float64, rounded once to the requested dtype
  const e = linspace(start, end, steps, { dtype: "float64" });
  const out = pow(base, e);
  const r = cast(out, dtype);
  return opts?.requiresGrad ? r.requiresGrad_(true) : r;
}

/**
 * A tensor of `shape` for the caller to fill. Unlike PyTorch its memory is zeroed (this
 * library never hands out garbage), so `empty` is `zeros` under PyTorch's name.
 * @example
 * ```ts
 * st.empty([2, 3]) // shape [2, 3]
 * ```
 */
export function empty(shape: number | readonly number[], opts?: TensorOptions): Tensor {
  return zeros(shape, opts);
}
