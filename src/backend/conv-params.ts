// Sizes of one 2-D convolution or pooling call, shared by the tensor-level kernel table, the js
// kernels and the native glue. A convolution's operands are contiguous NCHW arrays: x [N, C, H, W],
// weight [O, C/groups, KH, KW], y [N, O, OH, OW] (1-d convolution is the H = KH = 1 case).

/** Attributes of the conv2d / conv2dInput / conv2dWeight primitives (symmetric zero padding). */
export interface ConvAttrs {
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  groups: number;
}

/** Every size of one convolution: input, weight, output, stride, padding, dilation, groups. */
export interface ConvParams {
  n: number; c: number; h: number; w: number;
  o: number; kh: number; kw: number;
  oh: number; ow: number;
  sh: number; sw: number; ph: number; pw: number; dh: number; dw: number;
  groups: number;
}

/** Attributes of the pooling primitives (maxPool2d, avgPool2d, avgPool2dBackward). */
export interface PoolAttrs {
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  ceilMode: boolean;
  /** avg pool: count the zero padding in the divisor (PyTorch's count_include_pad). */
  countIncludePad: boolean;
  /** avg pool: divide by this instead of the window size (0 = none). */
  divisorOverride: number;
}

/** Sizes of one pooling call over `planes` = N·C independent H×W planes. */
export interface PoolParams {
  planes: number; h: number; w: number; oh: number; ow: number;
  kh: number; kw: number; sh: number; sw: number; ph: number; pw: number; dh: number; dw: number;
  countIncludePad: boolean;
  divisorOverride: number;
}

/** Output length of a convolution or pooling window along one dim: ⌊(L + 2p − d(k−1) − 1)/s⌋ + 1. */
export function convOutSize(l: number, k: number, s: number, p: number, d: number): number {
  return Math.floor((l + 2 * p - d * (k - 1) - 1) / s) + 1;
}

/**
 * Output length of a pooling window along one dim, PyTorch's pooling_output_shape: as convOutSize,
 * rounded up with ceilMode, minus the last window when it would start inside the right padding.
 */
export function poolOutSize(l: number, k: number, s: number, p: number, d: number, ceilMode: boolean): number {
  const span = l + 2 * p - d * (k - 1) - 1;
  let out = (ceilMode ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceilMode && (out - 1) * s >= l + p) out--;
  return out;
}

/** ConvParams from the NCHW input shape, the weight shape and the output's spatial size. */
export function convParams(x: readonly number[], wt: readonly number[], oh: number, ow: number, a: ConvAttrs): ConvParams {
  return {
    n: x[0]!, c: x[1]!, h: x[2]!, w: x[3]!, o: wt[0]!, kh: wt[2]!, kw: wt[3]!, oh, ow,
    sh: a.stride[0], sw: a.stride[1], ph: a.padding[0], pw: a.padding[1], dh: a.dilation[0], dw: a.dilation[1], groups: a.groups,
  };
}

/** PoolParams from the NCHW input shape and the output's spatial size. */
export function poolParams(x: readonly number[], oh: number, ow: number, a: PoolAttrs): PoolParams {
  return {
    planes: x[0]! * x[1]!, h: x[2]!, w: x[3]!, oh, ow, kh: a.kernel[0], kw: a.kernel[1], sh: a.stride[0], sw: a.stride[1],
    ph: a.padding[0], pw: a.padding[1], dh: a.dilation[0], dw: a.dilation[1], countIncludePad: a.countIncludePad, divisorOverride: a.divisorOverride,
  };
}
