// The backend interface: a table of kernels over contiguous row-major typed arrays.
// One name everywhere: the kernel key is the op name, the native export name and the bench label.
// A backend may implement any subset; the registry falls back to the js backend per kernel.

import type { TypedArray } from "../core/dtype.js";
import type {
  AdadeltaStepAttrs, AdagradStepAttrs, AdamaxStepAttrs, AdamStepAttrs, ElementLr, NadamStepAttrs, RmspropStepAttrs, SgdStepAttrs,
} from "./js/optim.js";
import type { FloatArray, FusedActivation } from "./native/fused.js";
import type { ConvParams, PoolParams } from "./conv-params.js";
import type { ToolboxKernels } from "./toolbox-kernels.js";

export type { ConvParams, PoolParams };
export type { AdadeltaStepAttrs, AdagradStepAttrs, AdamaxStepAttrs, AdamStepAttrs, ElementLr, NadamStepAttrs, FloatArray, FusedActivation, RmspropStepAttrs, SgdStepAttrs };

/** Elementwise ops of one input. `out` has the input's length (its dtype is chosen by the op). */
export type UnaryKernelName =
  | "neg" | "abs" | "sign" | "exp" | "expm1" | "log" | "log1p" | "sqrt" | "rsqrt" | "square"
  | "sin" | "cos" | "tanh" | "sigmoid" | "relu" | "erf" | "floor" | "ceil" | "round"
  | "isFinite" | "isNaN" | "logicalNot" | "cast";

/** Elementwise ops of two inputs with NumPy broadcasting. */
export type BinaryKernelName =
  | "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum"
  | "eq" | "ne" | "lt" | "le" | "gt" | "ge" | "logicalAnd" | "logicalOr";

/** Reductions over a set of axes; `axes` are sorted, non-negative and unique. */
export type ReduceKernelName = "sum" | "prod" | "max" | "min";

export type UnaryKernel = (x: TypedArray, out: TypedArray) => void;

/** `out` has shape `outShape`, the broadcast of `aShape` and `bShape`. */
export type BinaryKernel = (
  a: TypedArray, aShape: readonly number[],
  b: TypedArray, bShape: readonly number[],
  out: TypedArray, outShape: readonly number[],
) => void;

/** Reduces `x` (shape `shape`) over `axes` into `out` (the reduced size, keepdim layout). */
export type ReduceKernel = (x: TypedArray, shape: readonly number[], axes: readonly number[], out: TypedArray) => void;

export interface MatmulParams {
  /** Number of matrix products. */
  batch: number;
  m: number;
  n: number;
  k: number;
  /** Element offset between consecutive batch entries of A / B (0 = the same matrix for all). */
  strideA: number;
  strideB: number;
  /** A is stored as [k, m] (its transpose) instead of [m, k]; likewise B as [n, k]. */
  transA: boolean;
  transB: boolean;
}

/**
 * Where one attention operand lives in its array, in elements: entry (b, h, i, c) — batch b,
 * head h, row i, feature c — is at offset + b·batch + h·head + i·row + c (features contiguous).
 * With these, q/k/v may be plain [B, H, L, D] arrays (head = L·D, row = D) or the heads of
 * [B, L, H·D] read in place (head = D, row = H·D), or parts of one packed [B, L, 3·H·D] array
 * (offsets 0, H·D, 2·H·D): splitting into heads and merging back needs no permuted copies.
 */
export interface AttentionStrides {
  offset: number;
  batch: number;
  head: number;
  row: number;
}

/** The shape and layout of one attention call (attentionForward / attentionBackward). */
export interface AttentionParams {
  /** Batch entries B and heads H. */
  batch: number;
  heads: number;
  /** Query rows L, key/value rows S, query/key features E, value features Ev. */
  lq: number;
  lk: number;
  dk: number;
  dv: number;
  /** Layouts of q [·, L, E], k [·, S, E], v [·, S, Ev] and out [·, L, Ev]; dq/dk/dv/dOut use their operand's. */
  q: AttentionStrides;
  k: AttentionStrides;
  v: AttentionStrides;
  out: AttentionStrides;
  /** Multiplies q·kᵀ (PyTorch's default 1/√E is chosen by the caller). */
  scale: number;
  /** Query i attends to keys j ≤ i only (top-left aligned, PyTorch's is_causal). */
  causal: boolean;
  /**
   * The mask array's kind and its strides over (batch, head, query row, key), 0 on broadcast
   * dims: "bool" (Uint8Array, nonzero = attend) or "additive" (same float dtype as q, added to
   * the scaled scores; −∞ masks). null: no mask array (the mask argument is null).
   */
  mask: { kind: "bool" | "additive"; strides: readonly [number, number, number, number] } | null;
}

/**
 * The kernel table of a backend: one entry per primitive, over contiguous typed arrays (DESIGN §2b). The js backend implements every entry.
 */
export interface Kernels {
  /** Elementwise one-input kernels, by op name. */
  unary: Record<UnaryKernelName, UnaryKernel>;
  /** Broadcasting two-input kernels, by op name. */
  binary: Record<BinaryKernelName, BinaryKernel>;
  /** Reductions over one axis, by op name. */
  reduce: Record<ReduceKernelName, ReduceKernel>;
  /** Index of the max / min along `axis` (first occurrence; NaN counts as the max like PyTorch). */
  argmax(x: TypedArray, shape: readonly number[], axis: number, out: Int32Array): void;
  /** Index of the minimum along `axis`, written to the int32 `out`. */
  argmin(x: TypedArray, shape: readonly number[], axis: number, out: Int32Array): void;
  /** out = cond ? a : b, all broadcast to outShape. */
  where(
    cond: Uint8Array, cShape: readonly number[], a: TypedArray, aShape: readonly number[],
    b: TypedArray, bShape: readonly number[], out: TypedArray, outShape: readonly number[],
  ): void;
  /** `out = min(max(x, lo), hi)`. */
  clamp(x: TypedArray, lo: number, hi: number, out: TypedArray): void;
  /** C[batch, m, n] = A · B with C overwritten (beta = 0: C may hold NaN before). */
  matmul(a: TypedArray, b: TypedArray, out: TypedArray, p: MatmulParams): void;
  /** Numerically stable softmax / log-softmax along `axis`. */
  softmax(x: TypedArray, shape: readonly number[], axis: number, out: TypedArray): void;
  /** log-softmax along `axis` (stable: x − max − log Σ e^(x − max)). */
  logSoftmax(x: TypedArray, shape: readonly number[], axis: number, out: TypedArray): void;
  /** Copies `x` with its dims reordered by `perm`. */
  permute(x: TypedArray, shape: readonly number[], perm: readonly number[], out: TypedArray): void;
  /** Broadcast copy of x (shape) into out (outShape). */
  expand(x: TypedArray, shape: readonly number[], outShape: readonly number[], out: TypedArray): void;
  /** out[i] = x[start + i*step] per dim; outShape gives the counts. */
  slice(x: TypedArray, shape: readonly number[], starts: readonly number[], steps: readonly number[], out: TypedArray, outShape: readonly number[]): void;
  /** out (already a copy of the base, shape `shape`) gets src written at start + i*step. */
  sliceScatter(out: TypedArray, shape: readonly number[], src: TypedArray, srcShape: readonly number[], starts: readonly number[], steps: readonly number[]): void;
  /** Concatenates `xs` (of `shapes`) along `axis` into `out`. */
  cat(xs: readonly TypedArray[], shapes: readonly (readonly number[])[], axis: number, out: TypedArray): void;
  /** Splits `x` (of `shape`) along `axis` into `outs`, piece t taking `sizes[t]` entries of that axis (cat's inverse). */
  split(x: TypedArray, shape: readonly number[], axis: number, sizes: readonly number[], outs: readonly TypedArray[]): void;
  /** out[..i..] = x[..index[..i..]..] along dim (PyTorch gather; index already range-checked). */
  gather(x: TypedArray, shape: readonly number[], dim: number, index: Int32Array, indexShape: readonly number[], out: TypedArray): void;
  /** out (copy of base, shape) += src scattered along dim by index (PyTorch scatter_add). */
  scatterAdd(out: TypedArray, shape: readonly number[], dim: number, index: Int32Array, indexShape: readonly number[], src: TypedArray): void;
  /** Picks the entries `index` of dim `dim`. */
  indexSelect(x: TypedArray, shape: readonly number[], dim: number, index: Int32Array, out: TypedArray): void;
  /** out (copy of base, shape) has src (shape with dim = index.length) added at the indexed rows. */
  indexAdd(out: TypedArray, shape: readonly number[], dim: number, index: Int32Array, src: TypedArray): void;
  /**
   * For `rows` lanes of length r laid out contiguously: out[j] = Π_{i≠j} x[i] per lane, exact with
   * zeros (prefix · suffix products). The backward of prod.
   */
  prodOthers(x: TypedArray, rows: number, r: number, out: TypedArray): void;
  // The fused kernels: one pass over memory where the op-by-op path would run several kernels.
  // Formulas are documented on FusedKernels (native/fused.ts); float32/float64 arrays of one dtype.
  /** out[i, j] = act(x[i, j] + bias[j]); `out` may be `x`. */
  biasAct(x: FloatArray, bias: FloatArray, act: FusedActivation, out: FloatArray): void;
  /** LayerNorm over the last axis of x [M, N] (M = mean.length), saving mean and rstd. */
  layerNormForward(x: FloatArray, gamma: FloatArray | null, beta: FloatArray | null, eps: number, out: FloatArray, mean: FloatArray, rstd: FloatArray): void;
  /** Gradients of layerNormForward from its saved mean and rstd (dgamma/dbeta written, may be null). */
  layerNormBackward(
    dy: FloatArray, x: FloatArray, mean: FloatArray, rstd: FloatArray, gamma: FloatArray | null,
    dx: FloatArray, dgamma: FloatArray | null, dbeta: FloatArray | null,
  ): void;
  /**
   * Attention forward, per (batch, head, query row i):
   *   s_j = scale·q_i·k_j (+ mask_ij, or −∞ where a bool mask is 0 or causal and j > i)
   *   lse_i = log Σ_j exp(s_j),  out_i = Σ_j exp(s_j − lse_i)·v_j.
   * Keys may be taken in blocks with an online softmax (the [L, S] scores are never stored).
   * A row whose keys are all masked gets out_i = 0 and lse_i = −∞. `lse` is contiguous
   * [batch, heads, lq], in q's float dtype; every element of out (per its strides) and lse is written.
   */
  attentionForward(
    q: FloatArray, k: FloatArray, v: FloatArray, mask: Uint8Array | FloatArray | null,
    out: FloatArray, lse: FloatArray, p: AttentionParams,
  ): void;
  /**
   * Gradients of attentionForward from its saved lse (FlashAttention-2): with
   * P_ij = exp(s_ij − lse_i) recomputed block by block and D_i = Σ_c dOut_ic·out_ic,
   *   dv_j = Σ_i P_ij·dOut_i,  dS_ij = P_ij·(dOut_i·v_j − D_i),
   *   dq_i = scale·Σ_j dS_ij·k_j,  dk_j = scale·Σ_i dS_ij·q_i.
   * Rows with lse_i = −∞ (fully masked) contribute nothing and get dq_i = 0. dq/dk/dv have
   * their operand's layout (q/k/v strides), dOut out's; every element of dq, dk, dv is written.
   */
  attentionBackward(
    q: FloatArray, k: FloatArray, v: FloatArray, out: FloatArray, dOut: FloatArray, lse: FloatArray,
    mask: Uint8Array | FloatArray | null, dq: FloatArray, dk: FloatArray, dv: FloatArray, p: AttentionParams,
  ): void;
  /** One Adam/AdamW step in place (vmax: AMSGrad's running max or null). */
  adamStep(p: TypedArray, grad: TypedArray, m: TypedArray, v: TypedArray, vmax: TypedArray | null, lr: ElementLr, a: AdamStepAttrs): void;
  /** One SGD step in place (buf: the momentum buffer or null). */
  sgdStep(p: TypedArray, grad: TypedArray, buf: TypedArray | null, lr: ElementLr, a: SgdStepAttrs): void;
  /** One RMSprop step in place (buf: momentum buffer, gradAvg: centered mean, each or null). */
  rmspropStep(p: TypedArray, grad: TypedArray, squareAvg: TypedArray, buf: TypedArray | null, gradAvg: TypedArray | null, lr: ElementLr, a: RmspropStepAttrs): void;
  /** One Adagrad step in place on `p` and its sum of squared gradients. */
  adagradStep(p: TypedArray, grad: TypedArray, sum: TypedArray, lr: ElementLr, a: AdagradStepAttrs): void;
  /** One Adadelta step in place on `p` and its running averages. */
  adadeltaStep(p: TypedArray, grad: TypedArray, squareAvg: TypedArray, accDelta: TypedArray, lr: ElementLr, a: AdadeltaStepAttrs): void;
  /** One Adamax step in place on `p` and its moments. */
  adamaxStep(p: TypedArray, grad: TypedArray, expAvg: TypedArray, expInf: TypedArray, lr: ElementLr, a: AdamaxStepAttrs): void;
  /** One NAdam step in place on `p` and its moments. */
  nadamStep(p: TypedArray, grad: TypedArray, expAvg: TypedArray, expAvgSq: TypedArray, lr: ElementLr, a: NadamStepAttrs): void;
  /**
   * Statistics of x in one pass, accumulated in float64 (TENSOR_STATS layout): out = [Σx, Σx²,
   * #(x = 0), min, max, #(|x − center| > threshold), Σ(x − ref)² (0 when ref is null)]. min/max
   * are NaN when x holds a NaN, ±Infinity (max < min) when x is empty. ref has x's length.
   */
  tensorStats(x: TypedArray, ref: TypedArray | null, center: number, threshold: number, out: Float64Array): void;
  /** 2-D convolution of NCHW x by w [O, C/groups, KH, KW] into y [N, O, OH, OW] (js/conv.ts has the formulas). */
  conv2d(x: TypedArray, w: TypedArray, y: TypedArray, p: ConvParams): void;
  /** conv2d's adjoint in x: dx [N, C, H, W] from dy and w (a transposed convolution); every element written. */
  conv2dInput(dy: TypedArray, w: TypedArray, dx: TypedArray, p: ConvParams): void;
  /** conv2d's adjoint in w: dw [O, C/groups, KH, KW] from x and dy; every element written. */
  conv2dWeight(x: TypedArray, dy: TypedArray, dw: TypedArray, p: ConvParams): void;
  /** Max over each window of N·C planes, with the flat in-plane index of the max (js/pool.ts). */
  maxPool2d(x: TypedArray, y: TypedArray, idx: Int32Array, p: PoolParams): void;
  /** maxPool2d's backward: dx [planes, inPlane] zeroed, then dx[plane, idx] += dy for every output. */
  maxPool2dBackward(dy: TypedArray, idx: Int32Array, dx: TypedArray, planes: number, inPlane: number, outPlane: number): void;
  /** Mean over each window (divisor per countIncludePad / divisorOverride). */
  avgPool2d(x: TypedArray, y: TypedArray, p: PoolParams): void;
  /** avgPool2d's adjoint: dx [planes, H, W] from dy [planes, OH, OW]; every element written. */
  avgPool2dBackward(dy: TypedArray, dx: TypedArray, p: PoolParams): void;
  /** The pointwise part of an LSTM step (js/rnn-cell.ts has the formulas): gates [B, 4H], c [B, H] → hc [2, B, H], acts [B, 4H]. */
  lstmCellForward(gates: FloatArray, c: FloatArray, hc: FloatArray, acts: FloatArray, B: number, H: number): void;
  /** Gradient of lstmCellForward: dy [2, B, H] → dgates [B, 4H], dc [B, H] (every element written). */
  lstmCellBackward(dy: FloatArray, c: FloatArray, acts: FloatArray, hc: FloatArray, dgates: FloatArray, dc: FloatArray, B: number, H: number): void;
  /** The pointwise part of a GRU step (js/rnn-cell.ts): gi, gh [B, 3H], h [B, H] → out [B, H], acts [B, 3H]. */
  gruCellForward(gi: FloatArray, gh: FloatArray, h: FloatArray, out: FloatArray, acts: FloatArray, B: number, H: number): void;
  /** Gradient of gruCellForward: dy [B, H] → dgi, dgh [B, 3H], dh [B, H] (every element written). */
  gruCellBackward(dy: FloatArray, gh: FloatArray, h: FloatArray, acts: FloatArray, dgi: FloatArray, dgh: FloatArray, dh: FloatArray, B: number, H: number): void;
  /**
   * ReLU's gradient from its output y, as PyTorch's threshold_backward at 0: out = y ≤ 0 ? 0 : g
   * (so y = NaN passes g, and g = NaN reaches out only where y > 0 or y is NaN). One length, one float dtype.
   */
  reluBackward(g: FloatArray, y: FloatArray, out: FloatArray): void;
  /**
   * Squared error of x and t (one length and float dtype), d = x − t rounded to the dtype:
   * "none" writes d² per element; "sum" / "mean" write Σ d² (/ n) into out[0], the rounded d²
   * accumulated in float64 (the mean rounds the sum to the dtype first, as sum-then-divide does).
   */
  mseLoss(x: FloatArray, t: FloatArray, reduction: MseReduction, out: FloatArray): void;
  /**
   * Gradient of mseLoss: with c = g₀/n ("mean", rounded to the dtype), g₀ ("sum") or gᵢ ("none"),
   * dxᵢ = c·(2dᵢ) and dtᵢ = −dxᵢ; dx / dt are written when not null.
   */
  mseLossBackward(g: FloatArray, x: FloatArray, t: FloatArray, reduction: MseReduction, dx: FloatArray | null, dt: FloatArray | null): void;
}

/** How mseLoss reduces the per-element squared errors. */
export type MseReduction = "mean" | "sum" | "none";

/**
 * A backend: a name and the kernels it implements. Every entry is optional, fused kernels
 * included: the registry runs the js kernel for whatever a backend leaves out, so the set of
 * primitives and the recorded graph are the same on every backend.
 */
export interface Backend {
  /** The backend's name (`"js"`, `"native"`), as `st.setBackend` takes it. */
  name: string;
  /** The kernels it implements; missing entries fall back to the js backend's, per kernel. */
  kernels: Partial<Omit<Kernels, "unary" | "binary" | "reduce">> & {
    /** Elementwise one-input kernels it implements. */
    unary?: Partial<Kernels["unary"]>;
    /** Broadcasting two-input kernels it implements. */
    binary?: Partial<Kernels["binary"]>;
    /** Reductions it implements. */
    reduce?: Partial<Kernels["reduce"]>;
  };
}

// the tensor toolbox's kernels (issue 15), declared in toolbox-kernels.ts
export interface Kernels extends ToolboxKernels {}
