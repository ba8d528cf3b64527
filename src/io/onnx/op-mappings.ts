// ONNX nodes for the primitive kernels: elementwise math and comparisons, reductions, softmax,
// matmul/linear, shape ops (Reshape/Transpose/Expand/Slice/Concat, with the shape arithmetic of
// dynamic axes) and indexing (Gather, GatherElements, ScatterElements). The fused kernels
// (LayerNorm, attention, biasAct) are in op-mappings-fused.ts.

import type { DType } from "../../core/dtype.js";
import type { EmitContext, OpMapping } from "./emit-context.js";
import { onnxDType } from "./graph-builder.js";
import { CONV_MAPPINGS } from "./op-mappings-conv.js";
import { FUSED_MAPPINGS } from "./op-mappings-fused.js";

/** Cast `name` (of dtype `from`) to `to` when they differ. */
export function castTo(c: EmitContext, name: string, from: DType, to: DType): string {
  return from === to ? name : c.g.op("Cast", [name], { to: { i: onnxDType(to) } });
}

const unary = (op: string): OpMapping => (c) => void c.g.op(op, [c.input(0)], {}, c.out(0));


/** Both operands in one dtype (ONNX binary ops take a single T). */
function sameType(c: EmitContext, to?: DType): [string, string] {
  const a = c.inTensor(0).dtype, b = c.inTensor(1).dtype;
  const t = to ?? a;
  return [castTo(c, c.input(0), a, t), castTo(c, c.input(1), b, t)];
}

const arith = (op: string): OpMapping => (c) => void c.g.op(op, sameType(c, c.outDType(0)), {}, c.out(0));
const compare = (op: string, negate = false): OpMapping => (c) => {
  const r = c.g.op(op, sameType(c), {}, negate ? undefined : c.out(0));
  if (negate) c.g.op("Not", [r], {}, c.out(0));
};

function reduce(op: string): OpMapping {
  return (c) => {
    const a = c.call.attrs as { dims: number[]; keepdim: boolean };
    if (a.dims.length === 0) return void c.g.op("Identity", [c.input(0)], {}, c.out(0));
    const keepdims = { i: a.keepdim ? 1 : 0 };
    // ReduceSum takes its axes as an input from opset 13, the others from opset 18
    if (op === "ReduceSum" || c.opset >= 18) c.g.op(op, [c.input(0), c.g.int64s(a.dims)], { keepdims }, c.out(0));
    else c.g.op(op, [c.input(0)], { axes: { ints: a.dims }, keepdims }, c.out(0));
  };
}

function argReduce(op: string): OpMapping {
  return (c) => {
    const axis = (c.call.attrs as { axis: number }).axis;
    const keep = c.call.outputs[0]!.ndim === c.call.inputs[0]!.ndim;
    const r = c.g.op(op, [c.input(0)], { axis: { i: axis }, keepdims: { i: keep ? 1 : 0 }, select_last_index: { i: 0 } });
    c.g.op("Cast", [r], { to: { i: onnxDType("int32") } }, c.out(0));
  };
}

/** Transpose of the last two axes of a rank-r value. */
export function swapLast(c: EmitContext, name: string, rank: number): string {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return c.g.op("Transpose", [name], { perm: { ints: perm } });
}

const float = (d: DType) => d === "float32" || d === "float64";

export const MAPPINGS: Record<string, OpMapping> = {
  neg: unary("Neg"), abs: unary("Abs"), sign: unary("Sign"), exp: unary("Exp"), log: unary("Log"), sqrt: unary("Sqrt"),
  sin: unary("Sin"), cos: unary("Cos"), tanh: unary("Tanh"), sigmoid: unary("Sigmoid"), relu: unary("Relu"),
  // onnxruntime's CPU Erf is float32 only: a float64 erf runs in float32 (relative error ~1e-7)
  erf: (c) => {
    if (c.inTensor(0).dtype !== "float64") return void c.g.op("Erf", [c.input(0)], {}, c.out(0));
    c.g.op("Cast", [c.g.op("Erf", [castTo(c, c.input(0), "float64", "float32")])], { to: { i: onnxDType("float64") } }, c.out(0));
  },
  floor: unary("Floor"), ceil: unary("Ceil"), round: unary("Round"), isNaN: unary("IsNaN"), logicalNot: unary("Not"),
  // ONNX has no expm1/log1p/rsqrt: the plain forms differ by at most an ulp of 1 in absolute terms
  expm1: (c) => void c.g.op("Sub", [c.g.op("Exp", [c.input(0)]), c.g.scalar(1, c.outDType(0))], {}, c.out(0)),
  log1p: (c) => void c.g.op("Log", [c.g.op("Add", [c.input(0), c.g.scalar(1, c.outDType(0))])], {}, c.out(0)),
  rsqrt: (c) => void c.g.op("Reciprocal", [c.g.op("Sqrt", [c.input(0)])], {}, c.out(0)),
  square: (c) => void c.g.op("Mul", [c.input(0), c.input(0)], {}, c.out(0)),
  isFinite: (c) => {
    const x = c.input(0);
    if (!float(c.inTensor(0).dtype)) return void c.g.op("Equal", [x, x], {}, c.out(0));
    c.g.op("Not", [c.g.op("Or", [c.g.op("IsInf", [x]), c.g.op("IsNaN", [x])])], {}, c.out(0));
  },
  cast: (c) => void c.g.op("Cast", [c.input(0)], { to: { i: onnxDType(c.outDType(0)) } }, c.out(0)),
  add: arith("Add"), sub: arith("Sub"), mul: arith("Mul"), div: arith("Div"), maximum: arith("Max"), minimum: arith("Min"),
  pow: (c) => void c.g.op("Pow", [c.input(0), castTo(c, c.input(1), c.inTensor(1).dtype, c.outDType(0))], {}, c.out(0)),
  eq: compare("Equal"), ne: compare("Equal", true), lt: compare("Less"), le: compare("LessOrEqual"), gt: compare("Greater"),
  ge: compare("GreaterOrEqual"), logicalAnd: compare("And"), logicalOr: compare("Or"),
  where: (c) => {
    const t = c.outDType(0);
    const cond = castTo(c, c.input(0), c.inTensor(0).dtype, "bool");
    c.g.op("Where", [cond, castTo(c, c.input(1), c.inTensor(1).dtype, t), castTo(c, c.input(2), c.inTensor(2).dtype, t)], {}, c.out(0));
  },
  clamp: (c) => {
    const { lo, hi } = c.call.attrs as { lo: number; hi: number };
    const t = c.outDType(0);
    let x = c.input(0);
    // Max/Min rather than Clip: one form for every dtype, and an infinite bound is no node at all
    const hasHi = hi < Infinity;
    if (lo > -Infinity) x = c.g.op("Max", [x, c.g.scalar(lo, t)], {}, hasHi ? undefined : c.out(0));
    if (hasHi) c.g.op("Min", [x, c.g.scalar(hi, t)], {}, c.out(0));
    else if (!(lo > -Infinity)) c.g.op("Identity", [x], {}, c.out(0));
  },
  sum: reduce("ReduceSum"), prod: reduce("ReduceProd"), max: reduce("ReduceMax"), min: reduce("ReduceMin"),
  argmax: argReduce("ArgMax"), argmin: argReduce("ArgMin"),
  softmax: (c) => void c.g.op("Softmax", [c.input(0)], { axis: { i: (c.call.attrs as { axis: number }).axis } }, c.out(0)),
  logSoftmax: (c) => void c.g.op("LogSoftmax", [c.input(0)], { axis: { i: (c.call.attrs as { axis: number }).axis } }, c.out(0)),
  matmul: (c) => {
    const { transA, transB } = c.call.attrs as { transA: boolean; transB: boolean };
    const a = transA ? swapLast(c, c.input(0), c.inTensor(0).ndim) : c.input(0);
    const b = transB ? swapLast(c, c.input(1), c.inTensor(1).ndim) : c.input(1);
    c.g.op("MatMul", [a, b], {}, c.out(0));
  },
  // y = x·Wᵀ + b on a 2-D x: exactly Gemm with transB
  linear: (c) => void c.g.op("Gemm", [c.input(0), c.input(1), c.input(2)], { transB: { i: 1 } }, c.out(0)),
  reshape: (c) => void c.g.op("Reshape", [c.input(0), c.g.shapeTensor(c.outSym(0), c.inSym(0))], {}, c.out(0)),
  permute: (c) => void c.g.op("Transpose", [c.input(0)], { perm: { ints: (c.call.attrs as { perm: number[] }).perm } }, c.out(0)),
  expand: (c) => void c.g.op("Expand", [c.input(0), c.g.shapeTensor(c.outSym(0))], {}, c.out(0)),
  slice: (c) => {
    const { starts, steps } = c.call.attrs as { starts: number[]; steps: number[] };
    const inShape = c.inTensor(0).shape, outShape = c.call.outputs[0]!.shape;
    const axes: number[] = [], s: number[] = [], e: number[] = [], st: number[] = [];
    starts.forEach((start, i) => {
      const step = steps[i]!, n = outShape[i]!;
      if (start === 0 && step === 1 && n === inShape[i]) return; // the whole dim (symbolic or not)
      const end = start + n * step;
      axes.push(i); s.push(start); st.push(step);
      // a negative step that runs past index 0 needs an end below −size (−1 would mean "the last")
      e.push(step < 0 && end < 0 ? -(2 ** 53) : end);
    });
    if (axes.length === 0) return void c.g.op("Identity", [c.input(0)], {}, c.out(0));
    c.g.op("Slice", [c.input(0), c.g.int64s(s), c.g.int64s(e), c.g.int64s(axes), c.g.int64s(st)], {}, c.out(0));
  },
  // ONNX Split with the piece sizes as its `split` input (opset 13 on; the exporter writes 17+)
  split: (c) => {
    const { axis, sizes } = c.call.attrs as { axis: number; sizes: number[] };
    c.g.node("Split", [c.input(0), c.g.int64s(sizes)], { axis: { i: axis } }, c.call.outputs.map((_, j) => c.out(j)));
  },
  cat: (c) => void c.g.op("Concat", c.call.inputs.map((_, i) => c.input(i)), { axis: { i: (c.call.attrs as { axis: number }).axis } }, c.out(0)),
  gather: (c) => void c.g.op("GatherElements", [c.input(0), c.input(1)], { axis: { i: (c.call.attrs as { dim: number }).dim } }, c.out(0)),
  indexSelect: (c) => void c.g.op("Gather", [c.input(0), c.input(1)], { axis: { i: (c.call.attrs as { dim: number }).dim } }, c.out(0)),
  scatterAdd: (c) => void c.g.op("ScatterElements", [c.input(0), c.input(1), c.input(2)], {
    axis: { i: (c.call.attrs as { dim: number }).dim }, reduction: { s: "add" },
  }, c.out(0)),
  ...FUSED_MAPPINGS,
  ...CONV_MAPPINGS,
};

/** The kernel names the exporter maps (documented in docs/onnx.md). */
export const MAPPED_OPS: readonly string[] = Object.keys(MAPPINGS).sort();
