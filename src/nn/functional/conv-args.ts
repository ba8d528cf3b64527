// Argument checks and normalization shared by the convolution and pooling functions: pairs of
// sizes (a number or [h, w]), input rank and dtype, and the padding modes (reflect, replicate,
// circular) as index gathers, so they are differentiable with no extra primitive.

import { isFloat } from "../../core/dtype.js";
import { DTypeError, ShapeError, ValueError, fmtShape } from "../../core/errors.js";
import { Tensor } from "../../core/tensor.js";
import { tensor } from "../../core/creation.js";
import { indexSelect } from "../../ops/indexing.js";
import { pad } from "../../ops/shape.js";

/** A size given once for every spatial dim, or per dim. */
export type Size2 = number | readonly [number, number];

/** How Conv layers fill the border: PyTorch's padding_mode. */
export type PaddingMode = "zeros" | "reflect" | "replicate" | "circular";

/** [h, w] from a number or a pair; integers ≥ min, else a ValueError naming op and option. */
export function pair(op: string, name: string, v: Size2 | undefined, def: number, min: number): [number, number] {
  const p: [number, number] = v === undefined ? [def, def] : typeof v === "number" ? [v, v] : [v[0], v[1]];
  if (!Array.isArray(v) && typeof v !== "number" && v !== undefined) throw new ValueError(`${op}: ${name} must be a number or [h, w] (got ${String(v)})`);
  if (Array.isArray(v) && v.length !== 2) throw new ValueError(`${op}: ${name} must be a number or a pair [h, w] (got ${v.length} entries)`);
  for (const n of p) {
    if (!Number.isInteger(n) || n < min) throw new ValueError(`${op}: ${name} must be ${min === 0 ? "a non-negative" : "a positive"} integer or pair of them (got ${fmtShape(p)})`);
  }
  return p;
}

/** One size for 1-d ops (a number or [n]). */
export function single(op: string, name: string, v: number | readonly [number] | undefined, def: number, min: number): number {
  const n = v === undefined ? def : typeof v === "number" ? v : v[0];
  if (!Number.isInteger(n) || n < min) throw new ValueError(`${op}: ${name} must be ${min === 0 ? "a non-negative" : "a positive"} integer (got ${String(v)})`);
  return n;
}

/** Checks x is a float tensor of rank `rank` (the batched layout) or rank − 1 (unbatched); returns whether it was unbatched. */
export function checkInput(op: string, x: unknown, rank: number, layout: string): boolean {
  if (!(x instanceof Tensor)) throw new DTypeError(`${op}: expected a Tensor input (got ${x === null ? "null" : typeof x})`);
  if (!isFloat(x.dtype)) throw new DTypeError(`${op}: expected a float32 or float64 input (got ${x.dtype})`);
  if (x.ndim !== rank && x.ndim !== rank - 1) {
    throw new ShapeError(`${op}: expected a ${rank}-D input ${layout} (or ${rank - 1}-D unbatched) (got shape ${fmtShape(x.shape)})`);
  }
  return x.ndim === rank - 1;
}

/** Index of each padded position into the source along one dim of length n (reflect / replicate / circular). */
function borderIndex(op: string, n: number, before: number, after: number, mode: Exclude<PaddingMode, "zeros">): Int32Array {
  if (mode === "reflect" && (before >= n || after >= n)) {
    throw new ShapeError(`${op}: reflect padding (${before}, ${after}) must be smaller than the input size ${n}`);
  }
  if (mode === "circular" && (before > n || after > n)) {
    throw new ShapeError(`${op}: circular padding (${before}, ${after}) must be at most the input size ${n}`);
  }
  const out = new Int32Array(n + before + after);
  for (let k = 0; k < out.length; k++) {
    const i = k - before;
    if (mode === "replicate") out[k] = Math.min(Math.max(i, 0), n - 1);
    else if (mode === "circular") out[k] = ((i % n) + n) % n;
    else out[k] = i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
  }
  return out;
}

/**
 * Pads the trailing spatial dims of x: pads = [[before, after] per spatial dim, first to last].
 * zeros: constant 0; reflect (mirror without the edge), replicate (repeat the edge), circular (wrap).
 */
export function padSpatial(op: string, x: Tensor, pads: readonly (readonly [number, number])[], mode: PaddingMode): Tensor {
  if (pads.every(([a, b]) => a === 0 && b === 0)) return x;
  if (mode === "zeros") return pad(x, pads.slice().reverse().flatMap(([a, b]) => [a, b]));
  let y = x;
  const first = x.ndim - pads.length;
  pads.forEach(([a, b], i) => {
    if (a === 0 && b === 0) return;
    const dim = first + i;
    y = indexSelect(y, dim, tensor(borderIndex(op, x.shape[dim]!, a, b, mode), { dtype: "int32" }));
  });
  return y;
}

export const PADDING_MODES: readonly PaddingMode[] = ["zeros", "reflect", "replicate", "circular"];

/** A padding mode, or a ValueError listing the valid ones. */
export function checkPaddingMode(op: string, m: string | undefined): PaddingMode {
  const mode = (m ?? "zeros") as PaddingMode;
  if (!PADDING_MODES.includes(mode)) throw new ValueError(`${op}: paddingMode must be one of ${PADDING_MODES.map((s) => `"${s}"`).join(", ")} (got ${JSON.stringify(m)})`);
  return mode;
}
