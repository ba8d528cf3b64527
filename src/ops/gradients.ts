// THE backward table: one row per differentiable primitive. Each row declares, beside its
// formula, which of the op's inputs and outputs the formula reads (the save contract, as tfjs's
// gradient configs do): dispatch saves exactly those, in that order (inputs first), and the
// engine checks their versions before running the rule. Attributes are recorded whole and typed
// per op (OpNode<O>). Each rule is math over tensor ops (or dispatched backward kernels), so with
// createGraph the gradients are themselves differentiable (Hessian-vector products). The engine
// does accumulation, broadcast reduction and casting; rules only compute local products.
// A missing row fails to compile: the table is typed by the Op union.

import { type DType } from "../core/dtype.js";
import { eye } from "../core/creation.js";
import { isGradEnabled } from "../core/grad-mode.js";
import type { Tensor } from "../core/tensor.js";
import { dispatch } from "./dispatch.js";
import * as E from "./elementwise.js";
import { gather, indexAdd, indexSelect, scatterAdd } from "./indexing.js";
import { attentionBackward } from "./attention.js";
import { avgPool2dBackwardGrad, avgPool2dGrad, conv2dBackward, conv2dInputBackward, conv2dWeightBackward, maxPool2dBackward } from "./conv.js";
import { layerNormBackward } from "./layer-norm.js";
import { mseLossBackward } from "./mse-loss.js";
import { matmulT } from "./linalg.js";
import * as LG from "./linalg-grad.js";
import { gruCellBackward, lstmCellBackward } from "./rnn-cell.js";
import type { Op, OpAttrs, OpNode } from "./op.js";
import { prod, sum } from "./reduce.js";
import { cat, index, permute, reshape, sliceScatter, type SliceSpec } from "./shape.js";
import { empty } from "./util.js";
import { TOOLBOX_GRADIENTS } from "./gradients-toolbox.js";

/**
 * A backward rule: given the output gradient g, the saved tensors (the declared inputs, then the
 * declared outputs), the op's attributes and which inputs need a gradient, returns one gradient
 * (or null) per input.
 */
export type Backward<O extends Op> = (g: OutputGrad<O>, saved: Tensor[], attrs: OpAttrs[O], node: OpNode<O>, needs: boolean[]) => (Tensor | null)[];

/** Ops whose outputs all carry gradients (record.ts gives each output its own node; core/node.ts). */
export type MultiOutputOp = "split";

/** What a rule gets: its output's gradient, or for a multi-output op one per output (null where none arrived). */
export type OutputGrad<O extends Op> = O extends MultiOutputOp ? (Tensor | null)[] : Tensor;

/** Input or output positions a rule reads: a fixed list, or one chosen by the attributes. */
export type SaveList<O extends Op> = readonly number[] | ((attrs: OpAttrs[O]) => readonly number[]);

/** One row of the table: the rule and its save contract. */
export interface GradientConfig<O extends Op> {
  /** Positions of the inputs the rule reads (saved at record time, version-checked at backward). */
  inputs?: SaveList<O>;
  /** Positions of the outputs the rule reads. */
  outputs?: SaveList<O>;
  rule: Backward<O>;
  /** Every output is differentiable: the rule gets one gradient per output (MultiOutputOp). */
  multiOutput?: true;
}

const zeros = (shape: readonly number[], dtype: DType) => empty(shape.slice(), dtype);

/**
 * A zero tensor of `shape` with g written at start + i·step (the gradient of a slice). Without
 * createGraph the sliceBackward kernel writes g into fresh zeroed memory; sliceScatter would first
 * copy a zero base into its output, a second full-size pass that a 3-way chunk pays three times.
 */
function zeroPadded(g: Tensor, shape: readonly number[], starts: number[], steps: number[]): Tensor {
  if (isGradEnabled()) return sliceScatter(zeros(shape, g.dtype), g, starts, steps);
  return dispatch("sliceBackward", [g], shape.slice(), g.dtype, { starts, steps });
}

/**
 * ReLU's gradient from its output: 0 where y ≤ 0, else g (PyTorch's threshold_backward, so a NaN
 * output passes g). Without createGraph one reluBackward kernel (no bool temporary); with it the
 * same selection as a differentiable where, so gradients of gradients reach g.
 */
function reluGrad(g: Tensor, y: Tensor): Tensor {
  if (isGradEnabled() || g.dtype !== y.dtype) return E.where(E.le(y, 0), 0, g);
  return dispatch("reluBackward", [g, y], y.shape.slice(), y.dtype, null);
}

/** g reshaped to keepdim layout and broadcast back over the reduced dims (by the engine). */
function unreduce(g: Tensor, node: OpNode<"sum" | "prod" | "max" | "min">, dims: number[], keepdim: boolean): Tensor {
  if (keepdim) return g;
  const shape = node.inShapes[0]!.map((d, i) => (dims.includes(i) ? 1 : d));
  return reshape(g, shape);
}

/** Product of all the other entries along the reduced dims, exact even with zeros (prodOthers kernel). */
function prodOthers(x: Tensor, dims: number[]): Tensor {
  // Move reduced dims last, compute prefix·suffix products per lane, move back.
  const kept = x.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const perm = [...kept, ...dims];
  const p = permute(x, perm);
  const r = dims.reduce((a, d) => a * x.shape[d]!, 1);
  const out = dispatch("prodOthers", [p], p.shape.slice(), x.dtype, { r });
  const inv = perm.map((_, i) => perm.indexOf(i));
  return permute(out, inv);
}

/**
 * prodOthers as tensor ops, for createGraph (the kernel is invisible to autograd, so the
 * second derivative of prod would be 0): entry j is the lane's product with x_j replaced by 1.
 * Costs r² per lane of length r, so it runs only when the backward itself is recorded.
 */
function prodOthersDifferentiable(x: Tensor, dims: number[]): Tensor {
  const kept = x.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const perm = [...kept, ...dims];
  const p = permute(x, perm);
  const r = dims.reduce((a, d) => a * x.shape[d]!, 1);
  const lanes = reshape(p, [...p.shape.slice(0, kept.length), 1, r]);
  const others = prod(E.where(eye(r, r, { dtype: "bool" }), 1, lanes), -1);
  return permute(reshape(others, p.shape), perm.map((_, i) => perm.indexOf(i)));
}

function minmaxBackward(g: Tensor, s: Tensor[], a: OpAttrs["max"], node: OpNode<"max" | "min">): (Tensor | null)[] {
  const [x, out] = s as [Tensor, Tensor];
  const o = unreduce(out, node, a.dims, a.keepdim);
  const mask = E.cast(E.eq(x, o), x.dtype);
  const count = sum(mask, a.dims, true);
  // ties share the gradient equally, like PyTorch's amax/amin
  return [E.div(E.mul(unreduce(g, node, a.dims, a.keepdim), mask), count)];
}

/** Saves nothing. */
const none = <O extends Op>(rule: Backward<O>): GradientConfig<O> => ({ rule });
/** Saves input 0. */
const in0 = <O extends Op>(rule: Backward<O>): GradientConfig<O> => ({ inputs: [0], rule });
/** Saves output 0. */
const out0 = <O extends Op>(rule: Backward<O>): GradientConfig<O> => ({ outputs: [0], rule });
/** Saves inputs 0 and 1. */
const in01 = <O extends Op>(rule: Backward<O>): GradientConfig<O> => ({ inputs: [0, 1], rule });

export const GRADIENTS: { [O in Op]: GradientConfig<O> } = {
  neg: none((g) => [E.neg(g)]),
  abs: in0((g, [x]) => [E.mul(g, E.sign(x!))]),
  sign: none(() => [null]),
  exp: out0((g, [y]) => [E.mul(g, y!)]),
  // eˣ from the input, not y + 1 from the output: y + 1 cancels for x ≪ 0 (e⁻³⁰ would lose 4 digits)
  expm1: in0((g, [x]) => [E.mul(g, E.exp(x!))]),
  log: in0((g, [x]) => [E.div(g, x!)]),
  log1p: in0((g, [x]) => [E.div(g, E.add(x!, 1))]),
  sqrt: out0((g, [y]) => [E.div(g, E.mul(y!, 2))]),
  rsqrt: out0((g, [y]) => [E.mul(E.mul(g, E.pow(y!, 3)), -0.5)]),
  square: in0((g, [x]) => [E.mul(g, E.mul(x!, 2))]),
  sin: in0((g, [x]) => [E.mul(g, E.cos(x!))]),
  cos: in0((g, [x]) => [E.neg(E.mul(g, E.sin(x!)))]),
  tanh: out0((g, [y]) => [E.mul(g, E.sub(1, E.square(y!)))]),
  sigmoid: out0((g, [y]) => [E.mul(g, E.mul(y!, E.sub(1, y!)))]),
  relu: out0((g, [y]) => [reluGrad(g, y!)]),
  erf: in0((g, [x]) => [E.mul(g, E.mul(E.exp(E.neg(E.square(x!))), 2 / Math.sqrt(Math.PI)))]),
  floor: none(() => [null]),
  ceil: none(() => [null]),
  round: none(() => [null]),
  cast: none((g) => [g]),

  add: none((g) => [g, g]),
  sub: none((g, _s, _a, _n, needs) => [g, needs[1] ? E.neg(g) : null]),
  mul: in01((g, [a, b], _a, _n, needs) => [needs[0] ? E.mul(g, b!) : null, needs[1] ? E.mul(g, a!) : null]),
  div: in01((g, [a, b], _a, _n, needs) => [
    needs[0] ? E.div(g, b!) : null,
    needs[1] ? E.neg(E.div(E.mul(g, a!), E.square(b!))) : null,
  ]),
  pow: {
    inputs: [0, 1],
    outputs: [0],
    rule: (g, [a, b, y], _a, _n, needs) => [
      // d/da aᵇ = b·aᵇ⁻¹ (0 where b = 0, so 0⁰ has gradient 0 as in PyTorch)
      needs[0] ? E.where(E.eq(b!, 0), 0, E.mul(g, E.mul(b!, E.pow(a!, E.sub(b!, 1))))) : null,
      // d/db aᵇ = aᵇ·ln a (0 where a = 0 and b ≥ 0)
      needs[1] ? E.where(E.logicalAnd(E.eq(a!, 0), E.ge(b!, 0)), 0, E.mul(g, E.mul(y!, E.log(a!)))) : null,
    ],
  },
  maximum: in01((g, [a, b], _a, _n, needs) => {
    const half = E.mul(g, 0.5);
    const tie = E.eq(a!, b!);
    return [
      needs[0] ? E.where(tie, half, E.where(E.gt(a!, b!), g, 0)) : null,
      needs[1] ? E.where(tie, half, E.where(E.lt(a!, b!), g, 0)) : null,
    ];
  }),
  minimum: in01((g, [a, b], _a, _n, needs) => {
    const half = E.mul(g, 0.5);
    const tie = E.eq(a!, b!);
    return [
      needs[0] ? E.where(tie, half, E.where(E.lt(a!, b!), g, 0)) : null,
      needs[1] ? E.where(tie, half, E.where(E.gt(a!, b!), g, 0)) : null,
    ];
  }),
  // inputs [cond, a, b]: the bool condition gets no gradient
  where: in0((g, [cond], _a, _n, needs) => [null, needs[1] ? E.where(cond!, g, 0) : null, needs[2] ? E.where(cond!, 0, g) : null]),
  clamp: in0((g, [x], a) => [E.where(E.logicalAnd(E.ge(x!, a.lo), E.le(x!, a.hi)), g, 0)]),

  sum: none((g, _s, a, node) => [unreduce(g, node, a.dims, a.keepdim)]),
  prod: in0((g, [x], a, node) => [
    E.mul(unreduce(g, node, a.dims, a.keepdim), isGradEnabled() ? prodOthersDifferentiable(x!, a.dims) : prodOthers(x!, a.dims)),
  ]),
  max: { inputs: [0], outputs: [0], rule: minmaxBackward },
  min: { inputs: [0], outputs: [0], rule: minmaxBackward },
  softmax: out0((g, [y], a) => [E.mul(y!, E.sub(g, sum(E.mul(g, y!), a.axis, true)))]),
  logSoftmax: out0((g, [y], a) => [E.sub(g, E.mul(E.exp(y!), sum(g, a.axis, true)))]),
  // inputs [x, weight?, bias?], outputs [y, mean, rstd]: saved [x, weight?, mean, rstd]
  layerNorm: { inputs: (a) => (a.weight ? [0, 1] : [0]), outputs: [1, 2], rule: layerNormBackward },
  // inputs [q, k, v, mask?], outputs [out, lse]: saved [q, k, v, mask?, out, lse] — the log-sum-exp
  // per query row, never the [L, S] probabilities (the backward recomputes them block by block)
  attention: { inputs: (a) => (a.mask ? [0, 1, 2, 3] : [0, 1, 2]), outputs: [0, 1], rule: attentionBackward },
  // inputs [gates, c], outputs [hc, acts]: saved [gates, c, hc, acts] (issue 15, ops/rnn-cell.ts)
  lstmCell: { inputs: [0, 1], outputs: [0, 1], rule: lstmCellBackward },
  // inputs [gi, gh, h], outputs [h', acts]: saved [gi, gh, h, acts]
  gruCell: { inputs: [0, 1, 2], outputs: [1], rule: gruCellBackward },

  matmul: in01((g, [A, B], { transA, transB }, _n, needs) => [
    // C = op(A)·op(B): dA = g·op(B)ᵀ (transposed back when A was), dB = op(A)ᵀ·g likewise
    needs[0] ? (transA ? matmulT(B!, g, transB, true) : matmulT(g, B!, false, !transB)) : null,
    needs[1] ? matmulWeightGrad(g, A!, B!, transA, transB) : null,
  ]),

  linear: in01((g, [x, w], _a, _n, needs) => [
    needs[0] ? matmulT(g, w!, false, false) : null,
    needs[1] ? matmulT(g, x!, true, false) : null,
    needs[2] ? sum(g, 0) : null,
  ]),

  svd: out0((g, [packed], { m, n }) => [LG.svdBackward(g, packed!, m, n)]),
  // linear algebra (rules in linalg-grad.ts): solves save A and X, factorizations their packed output
  solve: { inputs: [0], outputs: [0], rule: (g, [A, X], _a, _n, needs) => LG.solveBackward(g, A!, X!, needs) },
  solveTriangular: { inputs: [0], outputs: [0], rule: (g, [A, X], a, _n, needs) => LG.solveTriangularBackward(g, A!, X!, a.upper, a.unitriangular, needs) },
  slogdet: in0((g, [A]) => [LG.slogdetBackward(g, A!)]),
  det: { inputs: [0], outputs: [0], rule: (g, [A, d]) => [LG.detBackward(g, A!, d!)] },
  cholesky: out0((g, [L]) => [LG.choleskyBackward(g, L!)]),
  qr: out0((g, [packed], { m, n, complete }) => [LG.qrBackward(g, packed!, m, n, complete)]),
  eigh: out0((g, [packed], { n }) => [LG.eighBackward(g, packed!, n)]),

  reshape: none((g, _s, _a, node) => [reshape(g, node.inShapes[0]!)]),
  permute: none((g, _s, { perm }) => [permute(g, perm.map((_, i) => perm.indexOf(i)))]),
  expand: none((g) => [g]), // the engine sums over the broadcast dims
  slice: none((g, _s, { starts, steps }, node) => [zeroPadded(g, node.inShapes[0]!, starts, steps)]),
  sliceScatter: none((g, _s, { starts, steps }, node, needs) => {
    const srcShape = node.inShapes[1]!;
    const spec: SliceSpec[] = srcShape.map((n, i) => [starts[i]!, starts[i]! + (n - 1) * steps[i]! + 1, steps[i]!]);
    return [
      needs[0] ? sliceScatter(g, zeros(srcShape, g.dtype), starts, steps) : null,
      needs[1] ? (srcShape.some((n) => n === 0) ? zeros(srcShape, g.dtype) : index(g, ...spec)) : null,
    ];
  }),
  // one node for all the pieces: the input's gradient is one cat of theirs, zeros standing in
  // for a piece that got none (instead of one zero-filled input-sized buffer per piece, summed)
  split: {
    multiOutput: true,
    rule: (gs, _s, { axis, sizes }, node) => {
      const shape = node.inShapes[0]!, dtype = node.inDTypes[0] as DType;
      return [cat(gs.map((g, t) => g ?? zeros(shape.map((n, i) => (i === axis ? sizes[t]! : n)), dtype)), axis)];
    },
  },
  cat: none((g, _s, { axis }, node, needs) => {
    let off = 0;
    return node.inShapes.map((shape, i) => {
      const len = shape[axis]!;
      const spec: SliceSpec[] = shape.map(() => null);
      spec[axis] = [off, off + len];
      off += len;
      return needs[i] ? index(g, ...spec) : null;
    });
  }),
  // The index tensors are saved like any other input: changing one in place between forward
  // and backward raises the version error instead of sending gradients to other rows.
  // gather: inputs [x, index]
  gather: { inputs: [1], rule: (g, [index], { dim }, node) => [scatterAdd(zeros(node.inShapes[0]!, g.dtype), dim, index!, g), null] },
  // scatterAdd: inputs [base, index, src]
  scatterAdd: { inputs: [1], rule: (g, [index], { dim }, _n, needs) => [needs[0] ? g : null, null, needs[2] ? gather(g, dim, index!) : null] },
  // indexSelect: inputs [x, index]
  indexSelect: { inputs: [1], rule: (g, [index], { dim }, node) => [indexAdd(zeros(node.inShapes[0]!, g.dtype), dim, index!, g), null] },
  // indexAdd: inputs [base, index, src]
  indexAdd: { inputs: [1], rule: (g, [index], { dim }, _n, needs) => [needs[0] ? g : null, null, needs[2] ? indexSelect(g, dim, index!) : null] },
  // convolution and pooling (ops/conv.ts): the three convolutions are each other's gradients
  conv2d: in01(conv2dBackward),
  conv2dInput: in01(conv2dInputBackward),
  conv2dWeight: in01(conv2dWeightBackward),
  // outputs [y, indices]: saves the int32 argmax indices only
  maxPool2d: { outputs: [1], rule: maxPool2dBackward },
  avgPool2d: none(avgPool2dGrad),
  avgPool2dBackward: none(avgPool2dBackwardGrad),
  // the tensor toolbox (issue 15): trig, atan2/remainder/fmod/hypot, cumsum/cumprod, scatterReduce
  ...TOOLBOX_GRADIENTS,
  // inputs [x, target] (one shape and dtype): the fused MSE loss (ops/mse-loss.ts)
  mseLoss: in01(mseLossBackward),
};

/**
 * dB of C = op(A)·op(B). When B is one matrix shared by a batch of A's (a linear layer on 3-D
 * input), Σ_batch op(A)ᵢᵀ·gᵢ equals one product over the flattened rows, [k, batch·m]·[batch·m, n]
 * — one large GEMM instead of `batch` small ones followed by a sum over the batch.
 */
function matmulWeightGrad(g: Tensor, A: Tensor, B: Tensor, transA: boolean, transB: boolean): Tensor {
  if (B.ndim === 2 && A.ndim > 2 && !transA) {
    const k = A.shape[A.ndim - 1]!;
    const n = g.shape[g.ndim - 1]!;
    const A2 = reshape(A, [-1, k]);
    const g2 = reshape(g, [-1, n]);
    return transB ? matmulT(g2, A2, true, false) : matmulT(A2, g2, true, false);
  }
  return transB ? matmulT(g, A, true, transA) : matmulT(A, g, !transA, false);
}
