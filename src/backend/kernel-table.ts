// THE kernel table at tensor level: one entry per kernel name (primitives, non-differentiable
// kernels, fused kernels). Each entry unwraps the storages of its input and output tensors and
// calls the active backend's typed-array kernel (registry.ts `K`, js for whatever a backend
// leaves out). ops/dispatch.ts is its only caller, so raw typed arrays stay inside core/ and
// backend/: a backend that keeps its memory elsewhere replaces these entries, not the ops.

import { type DType, type TypedArray, allocate, allocateUninitialized } from "../core/dtype.js";
import { IndexError } from "../core/errors.js";
import { sizeOf } from "../core/shape.js";
import { Tensor } from "../core/tensor.js";
import type {
  AdadeltaStepAttrs, AdagradStepAttrs, AdamaxStepAttrs, AdamStepAttrs, BinaryKernelName, NadamStepAttrs, FloatArray, FusedActivation, ReduceKernelName, RmspropStepAttrs, SgdStepAttrs, UnaryKernelName,
} from "./backend.js";
import type { MseReduction } from "./backend.js";
import { type AttentionAttrs, attentionParams } from "./attention-params.js";
import { eighSym, svdThin } from "./js/svd.js";
import { luDet, luSlogdet, luSolve } from "./js/linalg-lu.js";
import { choleskyLower, triangularSolve } from "./js/linalg-cholesky.js";
import { householderQr } from "./js/linalg-qr.js";
import { type ConvAttrs, type PoolAttrs, convParams, poolParams } from "./conv-params.js";
import { K } from "./registry.js";
import { TOOLBOX_FULL_WRITE, TOOLBOX_TABLE, type ToolboxKernelAttrs } from "./kernel-table-toolbox.js";

type Reduce = { dims: number[]; keepdim: boolean };
type OptimizerExtra = {
  /** The learning rate: a number, or null when the last input is a per-element lr tensor. */
  lr: number | null;
};

/** Attributes of every kernel, keyed by kernel name. */
export type KernelAttrs = { [N in UnaryKernelName | BinaryKernelName]: null } & {
  sum: Reduce; prod: Reduce; max: Reduce; min: Reduce;
  argmax: { axis: number }; argmin: { axis: number };
  /** inputs [cond, a, b] */
  where: null;
  clamp: { lo: number; hi: number };
  softmax: { axis: number }; logSoftmax: { axis: number };
  /** C = op(A)·op(B) over broadcast batch dims (inputs have equal or size-1 batches). */
  matmul: { transA: boolean; transB: boolean };
  /** y = x·Wᵀ + b, inputs [x (2-D), W, b] */
  linear: null;
  /** the thin SVD packed as [U | S | Vh] (one output) */
  svd: { m: number; n: number };
  /** inputs [A (…, n, n), B (…, n, k)] of one batch: X = A⁻¹B by LU; `who` names the public op in errors */
  solve: { n: number; k: number; who: string };
  /** inputs [A (…, n, n) triangular, B (…, n, k)]: X = A⁻¹B by substitution */
  solveTriangular: { n: number; k: number; upper: boolean; unitriangular: boolean; who: string };
  /** inputs [A (…, n, n)], outputs [logabsdet (…), sign (…)] */
  slogdet: { n: number; who: string };
  /** inputs [A (…, n, n)]: det A by LU */
  det: { n: number; who: string };
  /** inputs [A (…, n, n)]: the lower Cholesky factor */
  cholesky: { n: number; who: string };
  /** inputs [A (…, m, n)]: Householder QR packed as [Q | R] per matrix (one output) */
  qr: { m: number; n: number; complete: boolean; who: string };
  /** inputs [A (…, n, n)]: eigenvalues (ascending) and eigenvectors packed as [w | V] per matrix */
  eigh: { n: number; uplo: "L" | "U" };
  /** a view: no kernel runs, the output shares the input's storage */
  reshape: null;
  permute: { perm: number[] };
  expand: null;
  slice: { starts: number[]; steps: number[] };
  /** inputs [base, src]: a copy of base with src written at start + i·step */
  sliceScatter: { starts: number[]; steps: number[] };
  /** inputs [g]: zeros of the output shape with g written at start + i·step (slice's gradient) */
  sliceBackward: { starts: number[]; steps: number[] };
  cat: { axis: number };
  /** inputs [x], one output per piece: piece t holds `sizes[t]` entries of `axis` (cat's inverse) */
  split: { axis: number; sizes: number[] };
  /** inputs [x, index] */
  gather: { dim: number };
  /** inputs [base, index, src] */
  scatterAdd: { dim: number };
  /** inputs [x, index (1-D)] */
  indexSelect: { dim: number };
  /** inputs [base, index, src] */
  indexAdd: { dim: number };
  /** inputs [x] with the r reduced entries of each lane last: Π of the lane's other entries */
  prodOthers: { r: number };
  /** over the trailing `dims`; inputs [x, weight?, bias?], outputs [y, mean, rstd] */
  layerNorm: { eps: number; dims: number[]; weight: boolean; bias: boolean };
  /** inputs [dy, x, mean, rstd, weight?], outputs [dx, dweight?, dbias?] as the flags say */
  layerNormBackward: { weight: boolean; dweight: boolean; dbias: boolean };
  /** inputs [q, k, v, mask?], outputs [out, lse] (attention-params.ts has the layouts) */
  attention: AttentionAttrs;
  /** inputs [q, k, v, out, dOut, lse, mask?], outputs [dq, dk, dv] */
  attentionBackward: AttentionAttrs;
  /** inputs [x, bias]: act(x + bias) over the last dim */
  biasAct: { act: FusedActivation };
  /** in place; inputs [param, grad, m, v, vmax?, lr?] (vmax with AMSGrad, lr when attrs.lr is null) */
  adamStep: AdamStepAttrs & OptimizerExtra & { amsgrad: boolean };
  /** in place; inputs [param, grad, buf?, lr?] (buf when momentum ≠ 0) */
  sgdStep: SgdStepAttrs & OptimizerExtra;
  /** in place; inputs [param, grad, squareAvg, buf?, gradAvg?, lr?] as momentum / centered say */
  rmspropStep: RmspropStepAttrs & OptimizerExtra & { centered: boolean };
  /** in place; inputs [t]: every element set to value */
  fill: { value: number };
  /** in place; inputs [dst, src] of one size: dst's elements become src's (converted to dst's dtype) */
  copyInto: null;
  /** in place; inputs [param, grad, sum, lr?] */
  adagradStep: AdagradStepAttrs & OptimizerExtra;
  /** in place; inputs [param, grad, squareAvg, accDelta, lr?] */
  adadeltaStep: AdadeltaStepAttrs & OptimizerExtra;
  /** in place; inputs [param, grad, expAvg, expInf, lr?] */
  adamaxStep: AdamaxStepAttrs & OptimizerExtra;
  /** in place; inputs [param, grad, expAvg, expAvgSq, lr?] */
  nadamStep: NadamStepAttrs & OptimizerExtra;
  /**
   * inputs [x] or [x, ref] (ref of x's size); one float64 output of TENSOR_STATS_LENGTH entries:
   * [Σx, Σx², #zeros, min, max, #(|x − center| > threshold), Σ(x − ref)²], accumulated in float64
   */
  tensorStats: { center: number; threshold: number };
  /** inputs [x (N, C, H, W), w (O, C/groups, KH, KW), b (O)?] → y (N, O, OH, OW) (+ b per channel when `bias`) */
  conv2d: ConvAttrs & { bias: boolean };
  /** inputs [dy (N, O, OH, OW), w] → dx (N, C, inSize) — conv2d's input gradient, ConvTranspose2d's forward */
  conv2dInput: ConvAttrs & { inSize: [number, number] };
  /** inputs [x, dy] → dw (O, C/groups, kernel) — conv2d's weight gradient */
  conv2dWeight: ConvAttrs & { kernel: [number, number] };
  /** inputs [x (N, C, H, W)], outputs [y (N, C, OH, OW), indices int32 (flat r·W + col per plane)] */
  maxPool2d: PoolAttrs;
  /** inputs [dy (N, C, OH, OW), indices] → dx (N, C, inSize): maxPool2d's gradient (no createGraph) */
  maxPool2dBackward: { inSize: [number, number] };
  /** inputs [x (N, C, H, W)] → y (N, C, OH, OW) */
  avgPool2d: PoolAttrs;
  /** inputs [dy (N, C, OH, OW)] → dx (N, C, inSize): avgPool2d's adjoint */
  avgPool2dBackward: PoolAttrs & { inSize: [number, number] };
  /** inputs [gates [B, 4H], c [B, H]], outputs [hc [2, B, H] (h', c'), acts [B, 4H] (σi, σf, tanh g, σo)] */
  lstmCell: null;
  /** inputs [dy [2, B, H], c, acts, hc], outputs [dgates [B, 4H], dc [B, H]] */
  lstmCellBackward: null;
  /** inputs [gi [B, 3H], gh [B, 3H], h [B, H]], outputs [h' [B, H], acts [B, 3H] (r, z, n)] */
  gruCell: null;
  /** inputs [dy [B, H], gh, h, acts], outputs [dgi, dgh [B, 3H], dh [B, H]] */
  gruCellBackward: null;
  /** inputs [g, y] of one shape: ReLU's gradient from its output (threshold_backward at 0) */
  reluBackward: null;
  /** inputs [x, target] of one shape and float dtype → (x − t)² per element, or its sum / mean (shape []) */
  mseLoss: { reduction: MseReduction };
  /** inputs [g, x, target], outputs [dx?, dt?] as the flags say (dt = −dx) */
  mseLossBackward: { reduction: MseReduction; dx: boolean; dt: boolean };
} & ToolboxKernelAttrs;

export type KernelName = keyof KernelAttrs;

/** A tensor-level kernel: reads `inputs`, writes `outputs` (already allocated by dispatch). */
export type TensorKernel<A> = (inputs: readonly Tensor[], outputs: readonly Tensor[], attrs: A) => void;

const d = (t: Tensor): TypedArray => t._s.data;
const f = (t: Tensor): FloatArray => t._s.data as FloatArray;
const fOrNull = (t: Tensor | undefined | null): FloatArray | null => (t ? (t._s.data as FloatArray) : null);

/** Refuses an index outside [0, limit): kernels would read or write out of bounds. */
function checkIndex(op: string, index: Tensor, limit: number, dim: number): Int32Array {
  const a = index._s.data as Int32Array;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (v < 0 || v >= limit) {
      throw new IndexError(`${op}: index ${v} is out of range for dim ${dim} of size ${limit} (expected 0 <= index < ${limit})`);
    }
  }
  return a;
}

const unary = (name: UnaryKernelName): TensorKernel<null> => (i, o) => K.unary[name](d(i[0]!), d(o[0]!));
const binary = (name: BinaryKernelName): TensorKernel<null> => (i, o) => {
  const a = i[0]!, b = i[1]!, out = o[0]!;
  K.binary[name](a._s.data, a.shape, b._s.data, b.shape, out._s.data, out.shape);
};
const reduce = (name: ReduceKernelName): TensorKernel<Reduce> => (i, o, a) => {
  const x = i[0]!;
  if (a.dims.length === 0) d(o[0]!).set(d(x));
  else K.reduce[name](d(x), x.shape, a.dims, d(o[0]!));
};

function matmulParams(A: Tensor, B: Tensor, out: Tensor, transA: boolean, transB: boolean) {
  const m = out.shape[out.ndim - 2]!, n = out.shape[out.ndim - 1]!;
  const k = transA ? A.shape[A.ndim - 2]! : A.shape[A.ndim - 1]!;
  const batch = m * n === 0 ? sizeOf(out.shape.slice(0, -2)) : out.size / (m * n);
  return {
    batch, m, n, k,
    strideA: sizeOf(A.shape.slice(0, -2)) === 1 ? 0 : m * k,
    strideB: sizeOf(B.shape.slice(0, -2)) === 1 ? 0 : k * n,
    transA, transB,
  };
}

const UNARY_NAMES: readonly UnaryKernelName[] = [
  "neg", "abs", "sign", "exp", "expm1", "log", "log1p", "sqrt", "rsqrt", "square", "sin", "cos", "tanh", "sigmoid",
  "relu", "erf", "floor", "ceil", "round", "isFinite", "isNaN", "logicalNot", "cast",
];
const BINARY_NAMES: readonly BinaryKernelName[] = [
  "add", "sub", "mul", "div", "pow", "maximum", "minimum", "eq", "ne", "lt", "le", "gt", "ge", "logicalAnd", "logicalOr",
];

const table: { [N in keyof KernelAttrs]?: TensorKernel<KernelAttrs[N]> } = {
  sum: reduce("sum"), prod: reduce("prod"), max: reduce("max"), min: reduce("min"),
  argmax: (i, o, a) => K.argmax(d(i[0]!), i[0]!.shape, a.axis, d(o[0]!) as Int32Array),
  argmin: (i, o, a) => K.argmin(d(i[0]!), i[0]!.shape, a.axis, d(o[0]!) as Int32Array),
  where: (i, o) => {
    const [c, a, b] = i as [Tensor, Tensor, Tensor];
    const out = o[0]!;
    K.where(d(c) as Uint8Array, c.shape, d(a), a.shape, d(b), b.shape, d(out), out.shape);
  },
  clamp: (i, o, a) => K.clamp(d(i[0]!), a.lo, a.hi, d(o[0]!)),
  softmax: (i, o, a) => {
    if (i[0]!.ndim === 0) d(o[0]!)[0] = 1;
    else K.softmax(d(i[0]!), i[0]!.shape, a.axis, d(o[0]!));
  },
  logSoftmax: (i, o, a) => {
    if (i[0]!.ndim === 0) d(o[0]!)[0] = 0;
    else K.logSoftmax(d(i[0]!), i[0]!.shape, a.axis, d(o[0]!));
  },
  matmul: (i, o, a) => {
    const [A, B] = i as [Tensor, Tensor];
    K.matmul(d(A), d(B), d(o[0]!), matmulParams(A, B, o[0]!, a.transA, a.transB));
  },
  linear: (i, o) => {
    const [x, w, b] = i as [Tensor, Tensor, Tensor];
    const out = o[0]!;
    const [m, k] = x.shape as [number, number];
    K.matmul(d(x), d(w), d(out), { batch: 1, m, n: w.shape[0]!, k, strideA: 0, strideB: 0, transA: false, transB: true });
    // elementwise, so reading and writing the same array is safe on every backend
    K.binary.add(d(out), out.shape, d(b), b.shape, d(out), out.shape);
  },
  svd: (i, o, { m, n }) => {
    const k = Math.min(m, n);
    const x = d(i[0]!), p = d(o[0]!);
    const per = m * k + k + k * n;
    const batch = m * n === 0 ? p.length / Math.max(per, 1) : x.length / (m * n);
    for (let b = 0; b < batch; b++) {
      const r = svdThin(Float64Array.from(x.subarray(b * m * n, (b + 1) * m * n)), m, n);
      p.set(r.U, b * per);
      p.set(r.S, b * per + m * k);
      p.set(r.Vh, b * per + m * k + k);
    }
  },
  solve: (i, o, a) => luSolve(d(i[0]!), d(i[1]!), d(o[0]!), a.n === 0 ? 0 : i[0]!.size / (a.n * a.n), a.n, a.k, a.who),
  solveTriangular: (i, o, a) =>
    triangularSolve(d(i[0]!), d(i[1]!), d(o[0]!), a.n === 0 ? 0 : i[0]!.size / (a.n * a.n), a.n, a.k, a.upper, a.unitriangular, a.who),
  slogdet: (i, o, a) => luSlogdet(d(i[0]!), d(o[1]!), d(o[0]!), o[0]!.size, a.n, a.who),
  det: (i, o, a) => luDet(d(i[0]!), d(o[0]!), o[0]!.size, a.n, a.who),
  cholesky: (i, o, a) => choleskyLower(d(i[0]!), d(o[0]!), a.n === 0 ? 0 : i[0]!.size / (a.n * a.n), a.n, a.who),
  qr: (i, o, a) => {
    const kq = a.complete ? a.m : Math.min(a.m, a.n);
    const per = a.m * kq + kq * a.n;
    householderQr(d(i[0]!), d(o[0]!), per === 0 ? 0 : o[0]!.size / per, a.m, a.n, a.complete, a.who);
  },
  eigh: (i, o, { n, uplo }) => {
    const x = d(i[0]!), p = d(o[0]!);
    const per = n + n * n;
    const batch = per === 0 ? 0 : p.length / per;
    for (let b = 0; b < batch; b++) {
      const r = eighSym(Float64Array.from(x.subarray(b * n * n, (b + 1) * n * n)), n, uplo);
      p.set(r.values, b * per);
      p.set(r.vectors, b * per + n);
    }
  },
  reshape: () => {},
  permute: (i, o, a) => K.permute(d(i[0]!), i[0]!.shape, a.perm, d(o[0]!)),
  expand: (i, o) => K.expand(d(i[0]!), i[0]!.shape, o[0]!.shape, d(o[0]!)),
  slice: (i, o, a) => {
    if (o[0]!.size > 0) K.slice(d(i[0]!), i[0]!.shape, a.starts, a.steps, d(o[0]!), o[0]!.shape);
  },
  sliceScatter: (i, o, a) => {
    const [base, src] = i as [Tensor, Tensor];
    d(o[0]!).set(d(base));
    if (src.size > 0) K.sliceScatter(d(o[0]!), base.shape, d(src), src.shape, a.starts, a.steps);
  },
  sliceBackward: (i, o, a) => {
    // the output was allocated zeroed: only g's entries are written (no copy of a zero base)
    if (i[0]!.size > 0) K.sliceScatter(d(o[0]!), o[0]!.shape, d(i[0]!), i[0]!.shape, a.starts, a.steps);
  },
  cat: (i, o, a) => K.cat(i.map(d), i.map((t) => t.shape), a.axis, d(o[0]!)),
  split: (i, o, a) => K.split(d(i[0]!), i[0]!.shape, a.axis, a.sizes, o.map(d)),
  gather: (i, o, a) => {
    const [x, index] = i as [Tensor, Tensor];
    K.gather(d(x), x.shape, a.dim, checkIndex("gather", index, x.shape[a.dim]!, a.dim), index.shape, d(o[0]!));
  },
  scatterAdd: (i, o, a) => {
    const [base, index, src] = i as [Tensor, Tensor, Tensor];
    const idx = checkIndex("scatterAdd", index, base.shape[a.dim]!, a.dim);
    d(o[0]!).set(d(base));
    K.scatterAdd(d(o[0]!), base.shape, a.dim, idx, index.shape, d(src));
  },
  indexSelect: (i, o, a) => {
    const [x, index] = i as [Tensor, Tensor];
    K.indexSelect(d(x), x.shape, a.dim, checkIndex("indexSelect", index, x.shape[a.dim]!, a.dim), d(o[0]!));
  },
  indexAdd: (i, o, a) => {
    const [base, index, src] = i as [Tensor, Tensor, Tensor];
    const idx = checkIndex("indexAdd", index, base.shape[a.dim]!, a.dim);
    d(o[0]!).set(d(base));
    K.indexAdd(d(o[0]!), base.shape, a.dim, idx, d(src));
  },
  prodOthers: (i, o, a) => K.prodOthers(d(i[0]!), a.r === 0 ? 0 : i[0]!.size / a.r, a.r, d(o[0]!)),
  layerNorm: (i, o, a) => {
    const x = i[0]!;
    if (x.size === 0) return;
    const w = a.weight ? i[1]! : null;
    const b = a.bias ? i[a.weight ? 2 : 1]! : null;
    K.layerNormForward(f(x), fOrNull(w), fOrNull(b), a.eps, f(o[0]!), f(o[1]!), f(o[2]!));
  },
  layerNormBackward: (i, o, a) => {
    const [dy, x, mean, rstd] = i as [Tensor, Tensor, Tensor, Tensor];
    const dw = a.dweight ? o[1]! : null;
    const db = a.dbias ? o[a.dweight ? 2 : 1]! : null;
    K.layerNormBackward(f(dy), f(x), f(mean), f(rstd), fOrNull(a.weight ? i[4] : null), f(o[0]!), fOrNull(dw), fOrNull(db));
  },
  attention: (i, o, a) => {
    const [q, k, v] = i as [Tensor, Tensor, Tensor];
    const mask = a.mask ? i[3]! : null;
    const p = attentionParams(q.shape, k.shape, v.shape, mask ? mask.shape : null, a);
    K.attentionForward(f(q), f(k), f(v), mask ? (d(mask) as Uint8Array | FloatArray) : null, f(o[0]!), f(o[1]!), p);
  },
  attentionBackward: (i, o, a) => {
    const [q, k, v, out, dOut, lse] = i as [Tensor, Tensor, Tensor, Tensor, Tensor, Tensor];
    const mask = a.mask ? i[6]! : null;
    const p = attentionParams(q.shape, k.shape, v.shape, mask ? mask.shape : null, a);
    K.attentionBackward(f(q), f(k), f(v), f(out), f(dOut), f(lse), mask ? (d(mask) as Uint8Array | FloatArray) : null, f(o[0]!), f(o[1]!), f(o[2]!), p);
  },
  biasAct: (i, o, a) => K.biasAct(f(i[0]!), f(i[1]!), a.act, f(o[0]!)),
  adamStep: (i, _o, a) => {
    let n = 4;
    const vmax = a.amsgrad ? d(i[n++]!) : null;
    const lr = a.lr ?? d(i[n]!);
    K.adamStep(d(i[0]!), d(i[1]!), d(i[2]!), d(i[3]!), vmax, lr, a);
  },
  sgdStep: (i, _o, a) => {
    let n = 2;
    const buf = a.momentum !== 0 ? d(i[n++]!) : null;
    const lr = a.lr ?? d(i[n]!);
    K.sgdStep(d(i[0]!), d(i[1]!), buf, lr, a);
  },
  rmspropStep: (i, _o, a) => {
    let n = 3;
    const buf = a.momentum > 0 ? d(i[n++]!) : null;
    const ga = a.centered ? d(i[n++]!) : null;
    const lr = a.lr ?? d(i[n]!);
    K.rmspropStep(d(i[0]!), d(i[1]!), d(i[2]!), buf, ga, lr, a);
  },
  fill: (i, _o, a) => void d(i[0]!).fill(a.value),
  copyInto: (i) => d(i[0]!).set(d(i[1]!)),
  adagradStep: (i, _o, a) => K.adagradStep(d(i[0]!), d(i[1]!), d(i[2]!), a.lr ?? d(i[3]!), a),
  adadeltaStep: (i, _o, a) => K.adadeltaStep(d(i[0]!), d(i[1]!), d(i[2]!), d(i[3]!), a.lr ?? d(i[4]!), a),
  adamaxStep: (i, _o, a) => K.adamaxStep(d(i[0]!), d(i[1]!), d(i[2]!), d(i[3]!), a.lr ?? d(i[4]!), a),
  nadamStep: (i, _o, a) => K.nadamStep(d(i[0]!), d(i[1]!), d(i[2]!), d(i[3]!), a.lr ?? d(i[4]!), a),
  conv2d: (i, o, a) => {
    const [x, w] = i as [Tensor, Tensor];
    const y = o[0]!;
    if (y.size === 0) return;
    K.conv2d(d(x), d(w), d(y), convParams(x.shape, w.shape, y.shape[2]!, y.shape[3]!, a));
    // the bias as a broadcast add over [1, O, 1, 1], in place like linear's (elementwise, so safe)
    if (a.bias) K.binary.add(d(y), y.shape, d(i[2]!), [1, y.shape[1]!, 1, 1], d(y), y.shape);
  },
  conv2dInput: (i, o, a) => {
    const [dy, w] = i as [Tensor, Tensor];
    const dx = o[0]!;
    if (dx.size > 0) K.conv2dInput(d(dy), d(w), d(dx), convParams(dx.shape, w.shape, dy.shape[2]!, dy.shape[3]!, a));
  },
  conv2dWeight: (i, o, a) => {
    const [x, dy] = i as [Tensor, Tensor];
    const dw = o[0]!;
    if (dw.size > 0) K.conv2dWeight(d(x), d(dy), d(dw), convParams(x.shape, dw.shape, dy.shape[2]!, dy.shape[3]!, a));
  },
  maxPool2d: (i, o, a) => {
    const x = i[0]!, y = o[0]!;
    if (y.size > 0) K.maxPool2d(d(x), d(y), d(o[1]!) as Int32Array, poolParams(x.shape, y.shape[2]!, y.shape[3]!, a));
  },
  maxPool2dBackward: (i, o, a) => {
    const [dy, idx] = i as [Tensor, Tensor];
    const dx = o[0]!;
    const planes = dx.shape[0]! * dx.shape[1]!;
    if (dx.size > 0) K.maxPool2dBackward(d(dy), d(idx) as Int32Array, d(dx), planes, a.inSize[0] * a.inSize[1], dy.shape[2]! * dy.shape[3]!);
  },
  avgPool2d: (i, o, a) => {
    const x = i[0]!, y = o[0]!;
    if (y.size > 0) K.avgPool2d(d(x), d(y), poolParams(x.shape, y.shape[2]!, y.shape[3]!, a));
  },
  avgPool2dBackward: (i, o, a) => {
    const dy = i[0]!, dx = o[0]!;
    if (dx.size > 0) K.avgPool2dBackward(d(dy), d(dx), poolParams(dx.shape, dy.shape[2]!, dy.shape[3]!, a));
  },
  tensorStats: (i, o, a) => K.tensorStats(d(i[0]!), i[1] ? d(i[1]) : null, a.center, a.threshold, d(o[0]!) as Float64Array),
  lstmCell: (i, o) => K.lstmCellForward(f(i[0]!), f(i[1]!), f(o[0]!), f(o[1]!), i[1]!.shape[0]!, i[1]!.shape[1]!),
  lstmCellBackward: (i, o) => K.lstmCellBackward(f(i[0]!), f(i[1]!), f(i[2]!), f(i[3]!), f(o[0]!), f(o[1]!), i[1]!.shape[0]!, i[1]!.shape[1]!),
  gruCell: (i, o) => K.gruCellForward(f(i[0]!), f(i[1]!), f(i[2]!), f(o[0]!), f(o[1]!), i[2]!.shape[0]!, i[2]!.shape[1]!),
  gruCellBackward: (i, o) => K.gruCellBackward(f(i[0]!), f(i[1]!), f(i[2]!), f(i[3]!), f(o[0]!), f(o[1]!), f(o[2]!), i[2]!.shape[0]!, i[2]!.shape[1]!),
  reluBackward: (i, o) => K.reluBackward(f(i[0]!), f(i[1]!), f(o[0]!)),
  mseLoss: (i, o, a) => K.mseLoss(f(i[0]!), f(i[1]!), a.reduction, f(o[0]!)),
  mseLossBackward: (i, o, a) =>
    K.mseLossBackward(f(i[0]!), f(i[1]!), f(i[2]!), a.reduction, fOrNull(a.dx ? o[0] : null), fOrNull(a.dt ? o[a.dx ? 1 : 0] : null)),
};
for (const n of UNARY_NAMES) (table as Record<string, TensorKernel<null>>)[n] = unary(n);
for (const n of BINARY_NAMES) (table as Record<string, TensorKernel<null>>)[n] = binary(n);
Object.assign(table, TOOLBOX_TABLE);

/** Every kernel by name (the js backend implements all of them; see backend.ts). */
export const KERNELS = table as { [N in KernelName]: TensorKernel<KernelAttrs[N]> };

/**
 * Kernels that write every element of their outputs, so dispatch may hand them uninitialized
 * memory (every js and native implementation does; k = 0 GEMM included). The rest get zeros.
 */
const FULL_WRITE: { readonly [N in KernelName]?: true } = {
  neg: true, abs: true, sign: true, exp: true, expm1: true, log: true, log1p: true, sqrt: true, rsqrt: true, square: true,
  sin: true, cos: true, tanh: true, sigmoid: true, relu: true, erf: true, floor: true, ceil: true, round: true,
  add: true, sub: true, mul: true, div: true, pow: true, maximum: true, minimum: true,
  where: true, clamp: true, softmax: true, logSoftmax: true, matmul: true, linear: true,
  permute: true, expand: true, slice: true, sliceScatter: true, cat: true,
  // LayerNorm writes y, mean and rstd; its backward dx and (written, not accumulated) dγ, dβ
  layerNorm: true, layerNormBackward: true,
  // attention writes out and lse, its backward every element of dq, dk, dv (backend.ts contract)
  attention: true, attentionBackward: true,
  tensorStats: true,
  // convolution and pooling kernels write every output element (each is a gather, or zero-filled inside)
  conv2d: true, conv2dInput: true, conv2dWeight: true, maxPool2d: true, maxPool2dBackward: true, avgPool2d: true, avgPool2dBackward: true,
  ...TOOLBOX_FULL_WRITE,
  lstmCell: true, lstmCellBackward: true, gruCell: true, gruCellBackward: true,
  reluBackward: true, mseLoss: true, mseLossBackward: true,
  split: true,
};

/** A fresh output of kernel `name` (backend-owned storage; uninitialized where the kernel overwrites it). */
export function allocOutput(name: KernelName, shape: number[], dtype: DType): Tensor {
  const n = sizeOf(shape);
  return Tensor._fromData(FULL_WRITE[name] ? allocateUninitialized(dtype, n) : allocate(dtype, n), shape, dtype);
}

/** The names in the table, for tests that enumerate it. */
export const KERNEL_NAMES = Object.keys(table) as KernelName[];

/**
 * Runs kernel `name` on the active backend. `outputs` are allocated by the caller (dispatch);
 * in-place kernels (optimizer steps) have none and write their inputs.
 */
export function runKernel<N extends KernelName>(name: N, inputs: readonly Tensor[], outputs: readonly Tensor[], attrs: KernelAttrs[N]): void {
  KERNELS[name](inputs, outputs, attrs);
}
