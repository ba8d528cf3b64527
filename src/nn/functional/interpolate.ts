// st.nn.functional.interpolate: resizing [N, C, H, W] images by nearest neighbour (an index
// gather per dim) or bilinearly (two small interpolation matrices, A_H · x · A_Wᵀ), with
// PyTorch's source-coordinate rules so outputs match its upsample kernels.

import { ShapeError, ValueError, fmtShape } from "../../core/errors.js";
import type { Tensor } from "../../core/tensor.js";
import { tensor } from "../../core/creation.js";
import { indexSelect } from "../../ops/indexing.js";
import { matmul } from "../../ops/linalg.js";
import { squeeze, transpose, unsqueeze } from "../../ops/shape.js";
import { checkInput } from "./conv-args.js";

/** How {@link interpolate} samples: "nearest" (the nearest source pixel) or "bilinear" (linear in each of H and W). */
export type InterpolateMode = "nearest" | "bilinear";

/** Options of {@link interpolate} (PyTorch's F.interpolate arguments, camelCase): exactly one of size and scaleFactor. */
export interface InterpolateOptions {
  /** Output size [OH, OW] (a number for both); give this or scaleFactor. */
  size?: number | readonly [number, number] | null;
  /** Output = ⌊input · scaleFactor⌋ per dim; give this or size. */
  scaleFactor?: number | readonly [number, number] | null;
  /** "nearest" (default) or "bilinear". */
  mode?: InterpolateMode;
  /** bilinear: map corner pixel centres onto each other (default false, PyTorch's default). */
  alignCorners?: boolean | null;
}

/** PyTorch's area_pixel_compute_scale: input/output step of one dim. */
function stepOf(n: number, out: number, scale: number | null, alignCorners: boolean): number {
  if (alignCorners) return out > 1 ? (n - 1) / (out - 1) : 0;
  return scale !== null ? 1 / scale : n / out;
}

function nearestIndex(n: number, out: number, scale: number | null): Tensor {
  const s = scale !== null ? 1 / scale : n / out;
  const idx = new Int32Array(out);
  // float32 arithmetic like PyTorch's nearest_idx, so exact halves round the same way
  for (let i = 0; i < out; i++) idx[i] = Math.min(Math.floor(Math.fround(Math.fround(i) * Math.fround(s))), n - 1);
  return tensor(idx, { dtype: "int32" });
}

function bilinearMatrix(n: number, out: number, scale: number | null, alignCorners: boolean, x: Tensor): Tensor {
  const s = stepOf(n, out, scale, alignCorners);
  const m = new Float64Array(out * n);
  for (let i = 0; i < out; i++) {
    const src = alignCorners ? s * i : Math.max(s * (i + 0.5) - 0.5, 0);
    const i0 = Math.min(Math.floor(src), n - 1);
    const i1 = i0 + (i0 < n - 1 ? 1 : 0);
    const l1 = src - i0;
    m[i * n + i0]! += 1 - l1;
    m[i * n + i1]! += l1;
  }
  return tensor(x.dtype === "float64" ? m : Float32Array.from(m), { shape: [out, n], dtype: x.dtype });
}

/**
 * Resizes x [N, C, H, W] (or unbatched [C, H, W]) to `size`, or by `scaleFactor` (output ⌊H·s⌋).
 * nearest: y[i] = x[min(⌊i·r⌋, H − 1)] with r = 1/scaleFactor (or H/OH when size is given).
 * bilinear: y[i] = (1 − λ)·x[i₀] + λ·x[i₀ + 1] per dim, from the source coordinate
 * (i + ½)·r − ½ clamped at 0, or i·(H − 1)/(OH − 1) with alignCorners. Differentiable in x.
 *
 * @example
 * st.nn.functional.interpolate(st.randn([1, 3, 4, 4]), { scaleFactor: 2, mode: "bilinear" }).shape // [1, 3, 8, 8]
 */
export function interpolate(x: Tensor, opts: InterpolateOptions): Tensor {
  const op = "interpolate";
  const unbatched = checkInput(op, x, 4, "[N, C, H, W]");
  const x4 = unbatched ? unsqueeze(x, 0) : x;
  const mode = opts.mode ?? "nearest";
  if (mode !== "nearest" && mode !== "bilinear") throw new ValueError(`${op}: mode must be "nearest" or "bilinear" (got ${JSON.stringify(mode)})`);
  if (opts.alignCorners != null && mode === "nearest") throw new ValueError(`${op}: alignCorners only applies to mode "bilinear"`);
  const h = x4.shape[2]!, w = x4.shape[3]!;
  if ((opts.size == null) === (opts.scaleFactor == null)) throw new ValueError(`${op}: give exactly one of size and scaleFactor`);
  let oh: number, ow: number;
  let scales: [number | null, number | null] = [null, null];
  if (opts.size != null) {
    [oh, ow] = typeof opts.size === "number" ? [opts.size, opts.size] : [opts.size[0], opts.size[1]];
  } else {
    const sf = opts.scaleFactor!;
    const [sh, sw] = typeof sf === "number" ? [sf, sf] : [sf[0], sf[1]];
    if (!(sh > 0) || !(sw > 0)) throw new ValueError(`${op}: scaleFactor must be positive (got ${String(sf)})`);
    scales = [sh, sw];
    oh = Math.floor(h * sh);
    ow = Math.floor(w * sw);
  }
  if (!Number.isInteger(oh) || !Number.isInteger(ow) || oh < 1 || ow < 1) {
    throw new ShapeError(`${op}: output size must be positive integers (got ${oh}x${ow} from input shape ${fmtShape(x.shape)})`);
  }
  let y: Tensor;
  if (mode === "nearest") {
    y = indexSelect(x4, 2, nearestIndex(h, oh, scales[0]));
    y = indexSelect(y, 3, nearestIndex(w, ow, scales[1]));
  } else {
    const ac = opts.alignCorners ?? false;
    y = matmul(bilinearMatrix(h, oh, scales[0], ac, x4), x4);
    y = matmul(y, transpose(bilinearMatrix(w, ow, scales[1], ac, x4), 0, 1));
  }
  return unbatched ? squeeze(y, 0) : y;
}
