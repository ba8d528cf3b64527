// The symbolic output shapes of each traced kernel call (dynamic axes): which output dims are
// "batch", "seq", "batch*seq" … given the symbolic shapes of its inputs. An op without a rule
// here gets its concrete traced shape; the exporter checks every result against the traced
// shapes, so a rule can make a graph more general but never wrong at the example's sizes.

import type { TracedCall } from "./trace.js";
import { type Dim, type SymShape, broadcastSym, constDim, dimAdd, dimToString, isConst, reshapeSym } from "./sym-shape.js";

export const ELEMENTWISE: ReadonlySet<string> = new Set([
  "neg", "abs", "sign", "exp", "expm1", "log", "log1p", "sqrt", "rsqrt", "square", "sin", "cos", "tanh", "sigmoid", "relu", "erf",
  "floor", "ceil", "round", "isFinite", "isNaN", "logicalNot", "cast", "add", "sub", "mul", "div", "pow", "maximum", "minimum",
  "eq", "ne", "lt", "le", "gt", "ge", "logicalAnd", "logicalOr", "where", "clamp", "biasAct",
]);

/** Symbolic shapes of the outputs of `call` (one per output). */
export function inferSym(call: TracedCall, ins: readonly SymShape[], values: ReadonlyMap<string, number>): SymShape[] {
  const concrete = (t: { shape: readonly number[] }) => t.shape.map((n) => constDim(n));
  const fallback = () => call.outputs.map(concrete);
  const out0 = call.outputs[0]?.shape ?? [];
  const x = ins[0] ?? [];
  const op = call.op;
  if (ELEMENTWISE.has(op)) return [broadcastSym(ins, call.inputs.map((t) => t.shape), out0)];
  switch (op) {
    case "softmax": case "logSoftmax": case "sliceScatter": case "scatterAdd": case "indexAdd":
      return [x.slice()];
    case "sum": case "prod": case "max": case "min": {
      const a = call.attrs as { dims: number[]; keepdim: boolean };
      const res: Dim[] = [];
      x.forEach((d, i) => {
        if (!a.dims.includes(i)) res.push(d);
        else if (a.keepdim) res.push(constDim(1));
      });
      return [res];
    }
    case "argmax": case "argmin": {
      const axis = (call.attrs as { axis: number }).axis;
      const keep = out0.length === x.length;
      return [x.flatMap((d, i) => (i !== axis ? [d] : keep ? [constDim(1)] : []))];
    }
    case "matmul": {
      const a = call.attrs as { transA: boolean; transB: boolean };
      const [A, B] = ins as [SymShape, SymShape];
      const tA = call.inputs[0]!, tB = call.inputs[1]!;
      const m = a.transA ? A[A.length - 1]! : A[A.length - 2]!;
      const n = a.transB ? B[B.length - 2]! : B[B.length - 1]!;
      const batch = broadcastSym([A.slice(0, -2), B.slice(0, -2)], [tA.shape.slice(0, -2), tB.shape.slice(0, -2)], out0.slice(0, -2));
      return [[...batch, m, n]];
    }
    case "linear":
      return [[x[0]!, ins[1]![0]!]];
    case "reshape": {
      const r = reshapeSym(x, call.inputs[0]!.shape, out0, values);
      return r ? [r] : fallback();
    }
    case "permute":
      return [(call.attrs as { perm: number[] }).perm.map((p) => x[p]!)];
    case "expand":
      return [broadcastSym([x], [call.inputs[0]!.shape], out0)];
    case "slice": {
      const a = call.attrs as { starts: number[]; steps: number[] };
      const inShape = call.inputs[0]!.shape;
      // a dim taken whole keeps its symbol; a part of it is a constant count
      return [out0.map((n, i) => (a.starts[i] === 0 && a.steps[i] === 1 && n === inShape[i] ? x[i]! : constDim(n)))];
    }
    case "cat": {
      const axis = (call.attrs as { axis: number }).axis;
      const res = x.slice();
      res[axis] = ins.reduce<Dim>((s, sh) => dimAdd(s, sh[axis]!), constDim(0));
      return [res];
    }
    case "split": {
      // the split dim has constant piece sizes; every other dim keeps its symbol
      const a = call.attrs as { axis: number; sizes: number[] };
      return a.sizes.map((n) => x.map((dim, i) => (i === a.axis ? constDim(n) : dim)));
    }
    case "gather":
      return [ins[1]!.slice()];
    case "indexSelect": {
      const dim = (call.attrs as { dim: number }).dim;
      const res = x.slice();
      res[dim] = ins[1]![0]!;
      return [res];
    }
    case "layerNorm":
      return [x.slice(), ...call.outputs.slice(1).map(concrete)];
    case "conv2d": case "conv2dInput": case "maxPool2d": case "avgPool2d":
      // batch follows the input; channels and the spatial sizes are the example's (op-mappings-conv.ts
      // refuses a dynamic height or width)
      return call.outputs.map((t) => [x[0]!, ...t.shape.slice(1).map((n) => constDim(n))]);
    case "attention":
      // out has q's layout with v's feature size; lse [B, H, L] is never exported
      return [[...x.slice(0, 3), ins[2]![3]!], concrete(call.outputs[1]!)];
    default:
      return fallback();
  }
}

/** Whether a symbolic shape has any dynamic dim. */
export function isDynamic(s: SymShape): boolean {
  return s.some((d) => !isConst(d));
}

/**
 * The first dim where a constant input of `call` meets a dynamic output dim: a tensor made inside
 * forward at the example's sizes (a look-ahead mask, a slice of a positional table) that would
 * not follow the axis at other sizes. Returns a description, or null when there is none.
 */
export function frozenConstant(call: TracedCall, outSyms: readonly SymShape[], isConstant: (i: number) => boolean): string | null {
  const out = outSyms[0];
  if (!out) return null;
  const aligned = ELEMENTWISE.has(call.op) || call.op === "cat";
  const batchOnly = call.op === "matmul";
  if (!aligned && !batchOnly) return null;
  const axis = call.op === "cat" ? (call.attrs as { axis: number }).axis : -1;
  for (let i = 0; i < call.inputs.length; i++) {
    if (!isConstant(i)) continue;
    const shape = call.inputs[i]!.shape;
    const limit = batchOnly ? shape.length - 2 : shape.length;
    for (let k = 0; k < limit; k++) {
      const at = out.length - shape.length + k;
      if (at === axis || shape[k] === 1) continue;
      const d = out[at];
      if (d && !isConst(d)) return `a constant of shape [${shape.join(", ")}] (made inside forward at the example's sizes) with the dynamic dim ${dimToString(d)} at axis ${at}`;
    }
  }
  return null;
}
