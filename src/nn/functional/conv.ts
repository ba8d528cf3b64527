// Convolutions (st.nn.functional.conv1d, conv2d, convTranspose1d, convTranspose2d) over NCHW /
// NCL tensors, PyTorch's signatures and weight layouts. conv1d runs as conv2d on a [N, C, 1, L]
// view; padding "same", asymmetric padding and the non-zero padding modes pad explicitly first.

import { DTypeError, ShapeError, ValueError, fmtShape } from "../../core/errors.js";
import { Tensor } from "../../core/tensor.js";
import { add } from "../../ops/elementwise.js";
import { conv2dInputOp, conv2dOp, type ConvAttrs } from "../../ops/conv.js";
import { reshape, squeeze, unsqueeze } from "../../ops/shape.js";
import { type PaddingMode, type Size2, checkInput, checkPaddingMode, pair, padSpatial } from "./conv-args.js";

export type { PaddingMode, Size2 };

/** Options of {@link conv2d} (PyTorch's F.conv2d arguments plus Conv2d's padding_mode, camelCase). */
export interface Conv2dOptions {
  /** Step between windows (default 1). */
  stride?: Size2;
  /** Border added on each side (default 0); "valid" = 0, "same" = output size equals input size (stride 1 only). */
  padding?: Size2 | "same" | "valid";
  /** Spacing between kernel taps (default 1). */
  dilation?: Size2;
  /** Split channels into this many independent groups (default 1); C and O must be multiples. */
  groups?: number;
  /** How the padding is filled (default "zeros"); the others as PyTorch's Conv2d padding_mode. */
  paddingMode?: PaddingMode;
}

/** Options of {@link conv1d}: those of conv2d with single numbers (the length dim). */
export interface Conv1dOptions {
  /** Step between windows (default 1). */
  stride?: number;
  /** Border added on each side (default 0); "valid" = 0, "same" = output length equals input length (stride 1 only). */
  padding?: number | "same" | "valid";
  /** Spacing between kernel taps (default 1). */
  dilation?: number;
  /** Split channels into this many independent groups (default 1); C and O must be multiples. */
  groups?: number;
  /** How the padding is filled (default "zeros"); "reflect", "replicate", "circular" as PyTorch's Conv1d padding_mode. */
  paddingMode?: PaddingMode;
}

/** Options of {@link convTranspose2d} (PyTorch's F.conv_transpose2d arguments, camelCase). */
export interface ConvTranspose2dOptions {
  /** Upsampling step: input positions land this far apart in the output (default 1). */
  stride?: Size2;
  /** Removed from each side of the full transposed output (default 0). */
  padding?: Size2;
  /** Added to one side of the output to pick among the input sizes a strided conv maps alike (default 0; < stride). */
  outputPadding?: Size2;
  /** Split channels into this many independent groups (default 1); C and the output channels must be multiples. */
  groups?: number;
  /** Spacing between kernel taps (default 1). */
  dilation?: Size2;
}

function checkWeight(op: string, x: Tensor, w: unknown, rank: number): Tensor {
  if (!(w instanceof Tensor)) throw new DTypeError(`${op}: weight must be a Tensor (got ${w === null ? "null" : typeof w})`);
  if (w.ndim !== rank) throw new ShapeError(`${op}: weight must be ${rank}-D (got shape ${fmtShape(w.shape)})`);
  if (w.dtype !== x.dtype) throw new DTypeError(`${op}: weight dtype ${w.dtype} differs from the input's ${x.dtype}`);
  return w;
}

function checkBias(op: string, b: Tensor | null | undefined, x: Tensor, n: number): Tensor | null {
  if (b == null) return null;
  if (!(b instanceof Tensor) || b.ndim !== 1 || b.shape[0] !== n) {
    throw new ShapeError(`${op}: bias must have shape [${n}] (one per output channel; got ${b instanceof Tensor ? fmtShape(b.shape) : typeof b})`);
  }
  if (b.dtype !== x.dtype) throw new DTypeError(`${op}: bias dtype ${b.dtype} differs from the input's ${x.dtype}`);
  return b;
}

function checkGroups(op: string, groups: number | undefined, c: number, o: number): number {
  const g = groups ?? 1;
  if (!Number.isInteger(g) || g < 1) throw new ValueError(`${op}: groups must be a positive integer (got ${g})`);
  if (c % g !== 0 || o % g !== 0) {
    throw new ValueError(`${op}: groups=${g} must divide both the input channels (${c}) and the output channels (${o})`);
  }
  return g;
}

const addBias = (y: Tensor, b: Tensor | null): Tensor => (b === null ? y : add(y, reshape(b, [1, b.shape[0]!, 1, 1])));

/**
 * 2-D convolution (cross-correlation, as in PyTorch) of x [N, C, H, W] with weight
 * [O, C/groups, KH, KW] and optional bias [O]:
 *
 *   y[n, o, i, j] = b[o] + Σ_{c, a, b} x[n, g·C/groups + c, i·sH − pH + a·dH, j·sW − pW + b·dW] · w[o, c, a, b]
 *
 * (g = the group of o, out-of-range taps read the padding), of size
 * OH = ⌊(H + 2pH − dH·(KH − 1) − 1)/sH⌋ + 1 (likewise OW). A 3-D [C, H, W] input is one unbatched sample.
 * Defaults: stride 1, padding 0, dilation 1, groups 1, paddingMode "zeros".
 *
 * @example
 * const x = st.randn([1, 3, 8, 8]);
 * const w = st.randn([4, 3, 3, 3]);
 * st.nn.functional.conv2d(x, w, null, { padding: 1 }).shape // [1, 4, 8, 8]
 */
export function conv2d(x: Tensor, weight: Tensor, bias: Tensor | null = null, opts: Conv2dOptions = {}): Tensor {
  const op = "conv2d";
  const unbatched = checkInput(op, x, 4, "[N, C, H, W]");
  const x4 = unbatched ? unsqueeze(x, 0) : x;
  const w = checkWeight(op, x4, weight, 4);
  const [, c, h, wd] = x4.shape as [number, number, number, number];
  const [o, cg, kh, kw] = w.shape as [number, number, number, number];
  const groups = checkGroups(op, opts.groups, c, o);
  if (c / groups !== cg) {
    throw new ShapeError(`${op}: weight ${fmtShape(w.shape)} with groups=${groups} expects ${cg * groups} input channels (got input shape ${fmtShape(x.shape)})`);
  }
  const b = checkBias(op, bias, x4, o);
  const stride = pair(op, "stride", opts.stride, 1, 1);
  const dilation = pair(op, "dilation", opts.dilation, 1, 1);
  const mode = checkPaddingMode(op, opts.paddingMode);
  let pads: [[number, number], [number, number]];
  const p = opts.padding ?? 0;
  if (p === "same") {
    if (stride[0] !== 1 || stride[1] !== 1) throw new ValueError(`${op}: padding "same" needs stride 1 (got stride ${fmtShape(stride)})`);
    // PyTorch's split: the extra pixel of an even total goes after
    const tot = [dilation[0] * (kh - 1), dilation[1] * (kw - 1)];
    pads = [[Math.floor(tot[0]! / 2), tot[0]! - Math.floor(tot[0]! / 2)], [Math.floor(tot[1]! / 2), tot[1]! - Math.floor(tot[1]! / 2)]];
  } else if (p === "valid") {
    pads = [[0, 0], [0, 0]];
  } else {
    const [ph, pw] = pair(op, "padding", p as Size2, 0, 0);
    pads = [[ph, ph], [pw, pw]];
  }
  const effH = dilation[0] * (kh - 1) + 1, effW = dilation[1] * (kw - 1) + 1;
  if (h + pads[0][0] + pads[0][1] < effH || wd + pads[1][0] + pads[1][1] < effW) {
    throw new ShapeError(
      `${op}: kernel size ${effH}x${effW} (dilated) is larger than the padded input ${h + pads[0][0] + pads[0][1]}x${wd + pads[1][0] + pads[1][1]} (input shape ${fmtShape(x.shape)})`,
    );
  }
  const symmetric = pads[0][0] === pads[0][1] && pads[1][0] === pads[1][1];
  let xin = x4;
  let padding: [number, number] = [pads[0][0], pads[1][0]];
  if (mode !== "zeros" || !symmetric) {
    xin = padSpatial(op, x4, pads, mode);
    padding = [0, 0];
  }
  const attrs: ConvAttrs = { stride, padding, dilation, groups };
  // the bias is part of the primitive (one in-place broadcast add; its gradient two contiguous sums)
  const y = conv2dOp(xin, w, attrs, b);
  return unbatched ? squeeze(y, 0) : y;
}

/**
 * 1-D convolution of x [N, C, L] with weight [O, C/groups, K] and optional bias [O]:
 * y[n, o, i] = b[o] + Σ_{c, k} x[n, g·C/groups + c, i·s − p + k·d] · w[o, c, k], of length
 * ⌊(L + 2p − d·(K − 1) − 1)/s⌋ + 1. Runs as conv2d on a [N, C, 1, L] view. Same defaults as conv2d.
 *
 * @example
 * st.nn.functional.conv1d(st.randn([2, 3, 10]), st.randn([5, 3, 3])).shape // [2, 5, 8]
 */
export function conv1d(x: Tensor, weight: Tensor, bias: Tensor | null = null, opts: Conv1dOptions = {}): Tensor {
  const unbatched = checkInput("conv1d", x, 3, "[N, C, L]");
  const x3 = unbatched ? unsqueeze(x, 0) : x;
  const w = checkWeight("conv1d", x3, weight, 3);
  const p = opts.padding ?? 0;
  const y = conv2d(unsqueeze(x3, 2), unsqueeze(w, 2), bias, {
    stride: [1, opts.stride ?? 1],
    padding: typeof p === "string" ? p : [0, p],
    dilation: [1, opts.dilation ?? 1],
    groups: opts.groups,
    paddingMode: opts.paddingMode,
  });
  const y3 = squeeze(y, 2);
  return unbatched ? squeeze(y3, 0) : y3;
}

/**
 * Transposed 2-D convolution (the gradient of conv2d with respect to its input) of x [N, Cin, H, W]
 * with weight [Cin, Cout/groups, KH, KW] (PyTorch's layout) and optional bias [Cout], of size
 *
 *   OH = (H − 1)·sH − 2pH + dH·(KH − 1) + outputPaddingH + 1   (likewise OW).
 *
 * Defaults: stride 1, padding 0, outputPadding 0, groups 1, dilation 1.
 *
 * @example
 * const up = st.nn.functional.convTranspose2d(st.randn([1, 4, 5, 5]), st.randn([4, 2, 3, 3]), null, { stride: 2 });
 * up.shape // [1, 2, 11, 11]
 */
export function convTranspose2d(x: Tensor, weight: Tensor, bias: Tensor | null = null, opts: ConvTranspose2dOptions = {}): Tensor {
  const op = "convTranspose2d";
  const unbatched = checkInput(op, x, 4, "[N, Cin, H, W]");
  const x4 = unbatched ? unsqueeze(x, 0) : x;
  const w = checkWeight(op, x4, weight, 4);
  const [, cin, h, wd] = x4.shape as [number, number, number, number];
  const [wi, og, kh, kw] = w.shape as [number, number, number, number];
  const groups = checkGroups(op, opts.groups, cin, og * (opts.groups ?? 1));
  if (wi !== cin) throw new ShapeError(`${op}: weight ${fmtShape(w.shape)} expects ${wi} input channels in dim 1 (got input shape ${fmtShape(x.shape)})`);
  const b = checkBias(op, bias, x4, og * groups);
  const stride = pair(op, "stride", opts.stride, 1, 1);
  const padding = pair(op, "padding", opts.padding, 0, 0);
  const dilation = pair(op, "dilation", opts.dilation, 1, 1);
  const outPad = pair(op, "outputPadding", opts.outputPadding, 0, 0);
  if (outPad[0] >= stride[0] || outPad[1] >= stride[1]) {
    throw new ValueError(`${op}: outputPadding ${fmtShape(outPad)} must be smaller than the stride ${fmtShape(stride)}`);
  }
  const oh = (h - 1) * stride[0] - 2 * padding[0] + dilation[0] * (kh - 1) + outPad[0] + 1;
  const ow = (wd - 1) * stride[1] - 2 * padding[1] + dilation[1] * (kw - 1) + outPad[1] + 1;
  if (oh < 1 || ow < 1) throw new ShapeError(`${op}: the output size ${oh}x${ow} is empty (input shape ${fmtShape(x.shape)}, padding ${fmtShape(padding)})`);
  const y = addBias(conv2dInputOp(x4, w, { stride, padding, dilation, groups }, [oh, ow]), b);
  return unbatched ? squeeze(y, 0) : y;
}

/**
 * Transposed 1-D convolution of x [N, Cin, L] with weight [Cin, Cout/groups, K]: length
 * (L − 1)·s − 2p + d·(K − 1) + outputPadding + 1. Runs as convTranspose2d on a [N, C, 1, L] view.
 *
 * @example
 * st.nn.functional.convTranspose1d(st.randn([1, 2, 4]), st.randn([2, 3, 3]), null, { stride: 2 }).shape // [1, 3, 9]
 */
export function convTranspose1d(
  x: Tensor, weight: Tensor, bias: Tensor | null = null,
  opts: { stride?: number; padding?: number; outputPadding?: number; groups?: number; dilation?: number } = {},
): Tensor {
  const unbatched = checkInput("convTranspose1d", x, 3, "[N, Cin, L]");
  const x3 = unbatched ? unsqueeze(x, 0) : x;
  const w = checkWeight("convTranspose1d", x3, weight, 3);
  const y = convTranspose2d(unsqueeze(x3, 2), unsqueeze(w, 2), bias, {
    stride: [1, opts.stride ?? 1], padding: [0, opts.padding ?? 0], outputPadding: [0, opts.outputPadding ?? 0],
    dilation: [1, opts.dilation ?? 1], groups: opts.groups,
  });
  const y3 = squeeze(y, 2);
  return unbatched ? squeeze(y3, 0) : y3;
}
