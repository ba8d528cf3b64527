// Pooling (st.nn.functional.maxPool1d/2d, avgPool1d/2d, adaptiveAvgPool1d/2d) over NCHW / NCL
// tensors with PyTorch's options and output sizes. Max and average pooling are primitives
// (ops/conv.ts); adaptive average pooling is two small matrix products, P_H · x · P_Wᵀ, with
// P[i, r] = 1/|window i| on PyTorch's window [⌊i·H/OH⌋, ⌈(i+1)·H/OH⌉) — exact and differentiable.

import { ShapeError, ValueError, fmtShape } from "../../core/errors.js";
import type { Tensor } from "../../core/tensor.js";
import { tensor } from "../../core/creation.js";
import { avgPool2dOp, maxPool2dOp, poolOutShape, type PoolAttrs } from "../../ops/conv.js";
import { matmul } from "../../ops/linalg.js";
import { squeeze, transpose, unsqueeze } from "../../ops/shape.js";
import { type Size2, checkInput, pair } from "./conv-args.js";

/** Options of {@link maxPool2d} (PyTorch's F.max_pool2d arguments, camelCase). */
export interface MaxPool2dOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Size2 | null;
  /** Implicit −∞ border on each side (default 0; at most half the kernel size). */
  padding?: Size2;
  /** Spacing between window taps (default 1). */
  dilation?: Size2;
  /** Round the output size up, keeping a last partial window (default false). */
  ceilMode?: boolean;
  /** Also return the int32 flat index r·W + c of each max in its H×W plane (default false). */
  returnIndices?: boolean;
}

/** Options of {@link avgPool2d} (PyTorch's F.avg_pool2d arguments, camelCase). */
export interface AvgPool2dOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Size2 | null;
  /** Implicit zero border on each side (default 0; at most half the kernel size). */
  padding?: Size2;
  /** Round the output size up, keeping a last partial window (default false). */
  ceilMode?: boolean;
  /** Count the zero padding in the divisor (default true). */
  countIncludePad?: boolean;
  /** Divide every window sum by this instead (default: none). */
  divisorOverride?: number | null;
}

function poolAttrs(op: string, x: Tensor, kernelSize: Size2, o: MaxPool2dOptions & AvgPool2dOptions): PoolAttrs {
  const kernel = pair(op, "kernelSize", kernelSize, 1, 1);
  const stride = o.stride == null ? kernel : pair(op, "stride", o.stride, 1, 1);
  const padding = pair(op, "padding", o.padding, 0, 0);
  const dilation = pair(op, "dilation", o.dilation, 1, 1);
  if (padding[0] > kernel[0] / 2 || padding[1] > kernel[1] / 2) {
    throw new ValueError(`${op}: padding ${fmtShape(padding)} must be at most half the kernel size ${fmtShape(kernel)}`);
  }
  const div = o.divisorOverride ?? 0;
  if (o.divisorOverride != null && (!Number.isInteger(div) || div < 1)) throw new ValueError(`${op}: divisorOverride must be a positive integer (got ${div})`);
  const a: PoolAttrs = {
    kernel, stride, padding, dilation, ceilMode: o.ceilMode ?? false, countIncludePad: o.countIncludePad ?? true, divisorOverride: div,
  };
  const [oh, ow] = poolOutShape(x, a);
  if (oh < 1 || ow < 1) {
    throw new ShapeError(`${op}: kernel ${fmtShape(kernel)} (dilation ${fmtShape(dilation)}) is larger than the padded input (input shape ${fmtShape(x.shape)}, padding ${fmtShape(padding)}): output size ${oh}x${ow}`);
  }
  return a;
}

/**
 * 2-D max pooling of x [N, C, H, W] (or unbatched [C, H, W]): each output is the max of its window
 * x[n, c, i·sH − pH + a·dH, j·sW − pW + b·dW] (padding never wins; NaN propagates), size
 * OH = ⌊(H + 2pH − dH·(KH − 1) − 1)/sH⌋ + 1 (⌈·⌉ with ceilMode, dropping a window that would start
 * in the right padding). Defaults: stride = kernelSize, padding 0, dilation 1. The gradient goes to
 * the (first) max of each window. With returnIndices, returns [y, indices] (int32, r·W + c per plane).
 *
 * @example
 * st.nn.functional.maxPool2d(st.randn([1, 2, 4, 4]), 2).shape // [1, 2, 2, 2]
 */
export function maxPool2d(x: Tensor, kernelSize: Size2, opts?: MaxPool2dOptions & { returnIndices?: false }): Tensor;
export function maxPool2d(x: Tensor, kernelSize: Size2, opts: MaxPool2dOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool2d(x: Tensor, kernelSize: Size2, opts: MaxPool2dOptions = {}): Tensor | [Tensor, Tensor] {
  const unbatched = checkInput("maxPool2d", x, 4, "[N, C, H, W]");
  const x4 = unbatched ? unsqueeze(x, 0) : x;
  const [y, idx] = maxPool2dOp(x4, poolAttrs("maxPool2d", x4, kernelSize, opts));
  const out = unbatched ? [squeeze(y, 0), squeeze(idx, 0)] as [Tensor, Tensor] : [y, idx] as [Tensor, Tensor];
  return opts.returnIndices ? out : out[0];
}

/**
 * 1-D max pooling of x [N, C, L] (maxPool2d on a [N, C, 1, L] view); indices are positions along L.
 *
 * @example
 * st.nn.functional.maxPool1d(st.tensor([[[1, 3, 2, 5]]], { dtype: "float32" }), 2).toArray() // [[[3, 5]]]
 */
export function maxPool1d(x: Tensor, kernelSize: number, opts?: Omit<MaxPool2dOptions, "stride" | "padding" | "dilation"> & { stride?: number | null; padding?: number; dilation?: number; returnIndices?: false }): Tensor;
export function maxPool1d(x: Tensor, kernelSize: number, opts: Omit<MaxPool2dOptions, "stride" | "padding" | "dilation"> & { stride?: number | null; padding?: number; dilation?: number; returnIndices: true }): [Tensor, Tensor];
export function maxPool1d(
  x: Tensor, kernelSize: number,
  opts: Omit<MaxPool2dOptions, "stride" | "padding" | "dilation"> & { stride?: number | null; padding?: number; dilation?: number } = {},
): Tensor | [Tensor, Tensor] {
  const unbatched = checkInput("maxPool1d", x, 3, "[N, C, L]");
  const x3 = unbatched ? unsqueeze(x, 0) : x;
  const [y, idx] = maxPool2d(unsqueeze(x3, 2), [1, kernelSize], {
    stride: [1, opts.stride ?? kernelSize], padding: [0, opts.padding ?? 0], dilation: [1, opts.dilation ?? 1], ceilMode: opts.ceilMode, returnIndices: true,
  });
  let out: [Tensor, Tensor] = [squeeze(y, 2), squeeze(idx, 2)];
  if (unbatched) out = [squeeze(out[0], 0), squeeze(out[1], 0)];
  return opts.returnIndices ? out : out[0];
}

/**
 * 2-D average pooling of x [N, C, H, W]: y = Σ window / divisor, where the divisor is
 * divisorOverride if given, else the window size counted with the zero padding (countIncludePad,
 * default true) or without it. Output size as maxPool2d (dilation 1). Defaults: stride = kernelSize,
 * padding 0, ceilMode false, countIncludePad true.
 *
 * @example
 * st.nn.functional.avgPool2d(st.ones([1, 1, 4, 4]), 2).toArray() // [[[[1, 1], [1, 1]]]]
 */
export function avgPool2d(x: Tensor, kernelSize: Size2, opts: AvgPool2dOptions = {}): Tensor {
  const unbatched = checkInput("avgPool2d", x, 4, "[N, C, H, W]");
  const x4 = unbatched ? unsqueeze(x, 0) : x;
  const y = avgPool2dOp(x4, poolAttrs("avgPool2d", x4, kernelSize, opts));
  return unbatched ? squeeze(y, 0) : y;
}

/**
 * 1-D average pooling of x [N, C, L] (avgPool2d on a [N, C, 1, L] view).
 *
 * @example
 * st.nn.functional.avgPool1d(st.tensor([[[1, 3, 2, 6]]], { dtype: "float32" }), 2).toArray() // [[[2, 4]]]
 */
export function avgPool1d(
  x: Tensor, kernelSize: number,
  opts: { stride?: number | null; padding?: number; ceilMode?: boolean; countIncludePad?: boolean } = {},
): Tensor {
  const unbatched = checkInput("avgPool1d", x, 3, "[N, C, L]");
  const x3 = unbatched ? unsqueeze(x, 0) : x;
  const y = squeeze(avgPool2d(unsqueeze(x3, 2), [1, kernelSize], {
    stride: [1, opts.stride ?? kernelSize], padding: [0, opts.padding ?? 0], ceilMode: opts.ceilMode, countIncludePad: opts.countIncludePad,
  }), 2);
  return unbatched ? squeeze(y, 0) : y;
}

/** The [out, n] averaging matrix of adaptive pooling along one dim. */
function adaptiveMatrix(n: number, out: number, x: Tensor): Tensor {
  const m = new Float64Array(out * n);
  for (let i = 0; i < out; i++) {
    const s = Math.floor((i * n) / out), e = Math.ceil(((i + 1) * n) / out);
    for (let r = s; r < e; r++) m[i * n + r] = 1 / (e - s);
  }
  return tensor(x.dtype === "float64" ? m : Float32Array.from(m), { shape: [out, n], dtype: x.dtype });
}

/**
 * Adaptive average pooling of x [N, C, H, W] to outputSize [OH, OW] (a number for both, null keeps
 * that dim): output (i, j) averages rows [⌊i·H/OH⌋, ⌈(i+1)·H/OH⌉) and the matching columns, PyTorch's windows.
 *
 * @example
 * st.nn.functional.adaptiveAvgPool2d(st.randn([2, 8, 7, 7]), 1).shape // [2, 8, 1, 1]
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: number | readonly [number | null, number | null]): Tensor {
  const unbatched = checkInput("adaptiveAvgPool2d", x, 4, "[N, C, H, W]");
  const x4 = unbatched ? unsqueeze(x, 0) : x;
  const h = x4.shape[2]!, w = x4.shape[3]!;
  const req = typeof outputSize === "number" ? [outputSize, outputSize] : outputSize;
  const oh = req[0] ?? h, ow = req[1] ?? w;
  for (const v of [oh, ow]) {
    if (!Number.isInteger(v) || v < 1) throw new ValueError(`adaptiveAvgPool2d: outputSize must be positive integers (got ${String(outputSize)})`);
  }
  if (h === 0 || w === 0) throw new ShapeError(`adaptiveAvgPool2d: expected non-empty spatial dims (got input shape ${fmtShape(x.shape)})`);
  let y = x4;
  if (oh !== h) y = matmul(adaptiveMatrix(h, oh, x4), y);
  if (ow !== w) y = matmul(y, transpose(adaptiveMatrix(w, ow, x4), 0, 1));
  return unbatched ? squeeze(y, 0) : y;
}

/**
 * Adaptive average pooling of x [N, C, L] to length outputSize (adaptiveAvgPool2d on [N, C, 1, L]).
 *
 * @example
 * st.nn.functional.adaptiveAvgPool1d(st.tensor([[[1, 2, 3, 4]]], { dtype: "float32" }), 2).toArray() // [[[1.5, 3.5]]]
 */
export function adaptiveAvgPool1d(x: Tensor, outputSize: number): Tensor {
  const unbatched = checkInput("adaptiveAvgPool1d", x, 3, "[N, C, L]");
  const x3 = unbatched ? unsqueeze(x, 0) : x;
  const y = squeeze(adaptiveAvgPool2d(unsqueeze(x3, 2), [1, outputSize]), 2);
  return unbatched ? squeeze(y, 0) : y;
}
