// ONNX nodes for the fused kernels: LayerNorm (LayerNormalization, opset 17), biasAct (Add and
// the activation) and the attention primitive, which ONNX before opset 23 has no single op for:
// it becomes Transpose/MatMul/Mul, the masks as Where, Softmax, MatMul. Our kernel returns zeros
// for a query row whose keys are all masked (ONNX's Softmax would give NaN there), so masked
// scores are set to the lowest finite value and the probabilities of masked keys to 0 afterwards:
// the same numbers on rows with a visible key, zeros on fully masked rows.
// The fused MSE loss becomes Sub, Mul and (reduced) ReduceSum / ReduceMean.

import type { AttentionAttrs } from "../../backend/attention-params.js";
import type { FusedActivation } from "../../backend/backend.js";
import type { EmitContext, OpMapping } from "./emit-context.js";

/** The most negative finite value of a float dtype (a masked score that still subtracts cleanly). */
const lowest = (dtype: string) => (dtype === "float64" ? -Number.MAX_VALUE : -3.4028234663852886e38);

/** Permutation from an attention layout to [B, H, rows, features] and back. */
const TO_BHLD: Record<AttentionAttrs["layout"], number[] | null> = { bhld: null, blhd: [0, 2, 1, 3], lbhd: [1, 2, 0, 3] };
const FROM_BHLD: Record<AttentionAttrs["layout"], number[] | null> = { bhld: null, blhd: [0, 2, 1, 3], lbhd: [2, 0, 1, 3] };

function attention(c: EmitContext): void {
  const a = c.call.attrs as AttentionAttrs;
  if (c.outUsed(1)) throw c.unsupported("its log-sum-exp output");
  const g = c.g;
  const dtype = c.outDType(0);
  const toBhld = (x: string) => (TO_BHLD[a.layout] ? g.op("Transpose", [x], { perm: { ints: TO_BHLD[a.layout]! } }) : x);
  const q = toBhld(c.input(0)), k = toBhld(c.input(1)), v = toBhld(c.input(2));
  const kT = g.op("Transpose", [k], { perm: { ints: [0, 1, 3, 2] } });
  let scores = g.op("Mul", [g.op("MatMul", [q, kT]), g.scalar(a.scale, dtype)]);
  // `blocked`: true where a key is masked for a query (bool mask false, additive −∞, causal j > i)
  const blocked: string[] = [];
  if (a.mask === "bool") blocked.push(g.op("Not", [c.input(3)]));
  if (a.mask === "additive") {
    scores = g.op("Add", [scores, c.input(3)]);
    blocked.push(g.op("IsInf", [scores], { detect_positive: { i: 0 }, detect_negative: { i: 1 } }));
  }
  if (a.causal) {
    // [L, S] lower-triangular ones from the run-time sizes: query i sees keys j ≤ i
    const ls = g.op("Shape", [scores], { start: { i: 2 }, end: { i: 4 } });
    const ones = g.op("ConstantOfShape", [ls], { value: { t: { name: "one", dims: [1], data_type: 1, raw_data: new Uint8Array(Float32Array.of(1).buffer) } } });
    const tril = g.op("Trilu", [ones], { upper: { i: 0 } });
    blocked.push(g.op("Not", [g.op("Cast", [tril], { to: { i: 9 } })]));
  }
  let probs: string;
  if (blocked.length === 0) probs = g.op("Softmax", [scores], { axis: { i: -1 } });
  else {
    const b = blocked.reduce((x, y) => g.op("Or", [x, y]));
    const safe = g.op("Where", [b, g.scalar(lowest(dtype), dtype), scores]);
    probs = g.op("Where", [b, g.scalar(0, dtype), g.op("Softmax", [safe], { axis: { i: -1 } })]);
  }
  const back = FROM_BHLD[a.layout];
  if (back) g.op("Transpose", [g.op("MatMul", [probs, v])], { perm: { ints: back } }, c.out(0));
  else g.op("MatMul", [probs, v], {}, c.out(0));
}

function layerNorm(c: EmitContext): void {
  const a = c.call.attrs as { eps: number; dims: number[]; weight: boolean; bias: boolean };
  if (c.outUsed(1) || c.outUsed(2)) throw c.unsupported("its saved mean / rstd outputs");
  const x = c.inTensor(0);
  const normShape = a.dims.map((d) => x.shape[d]!);
  const n = normShape.reduce((p, q) => p * q, 1);
  // ONNX requires Scale: ones when the layer has no weight
  const ones = x.dtype === "float64" ? new Float64Array(n).fill(1) : new Float32Array(n).fill(1);
  const scale = a.weight ? c.input(1) : c.g.initializer("layer_norm_ones", x.dtype, normShape, ones);
  const inputs = [c.input(0), scale];
  if (a.bias) inputs.push(c.input(a.weight ? 2 : 1));
  c.g.op("LayerNormalization", inputs, { axis: { i: x.ndim - a.dims.length }, epsilon: { f: a.eps } }, c.out(0));
}

function biasAct(c: EmitContext): void {
  const act = (c.call.attrs as { act: FusedActivation }).act;
  const g = c.g, t = c.outDType(0);
  const z = g.op("Add", [c.input(0), c.input(1)]);
  switch (act) {
    case "none": return void g.op("Identity", [z], {}, c.out(0));
    case "relu": return void g.op("Relu", [z], {}, c.out(0));
    case "tanh": return void g.op("Tanh", [z], {}, c.out(0));
    case "sigmoid": return void g.op("Sigmoid", [z], {}, c.out(0));
    case "gelu": {
      // exact GELU: z/2 · (1 + erf(z/√2))
      const e = g.op("Erf", [g.op("Mul", [z, g.scalar(Math.SQRT1_2, t)])]);
      return void g.op("Mul", [g.op("Mul", [z, g.scalar(0.5, t)]), g.op("Add", [e, g.scalar(1, t)])], {}, c.out(0));
    }
  }
}

/** The fused MSE loss (ops/mse-loss.ts) as Sub, Mul and, reduced, ReduceSum / ReduceMean over every axis. */
function mseLoss(c: EmitContext): void {
  const { reduction } = c.call.attrs as { reduction: "mean" | "sum" | "none" };
  const g = c.g;
  const d = g.op("Sub", [c.input(0), c.input(1)]);
  if (reduction === "none") return void g.op("Mul", [d, d], {}, c.out(0));
  // no axes (attribute or input): every axis, in every opset
  g.op(reduction === "sum" ? "ReduceSum" : "ReduceMean", [g.op("Mul", [d, d])], { keepdims: { i: 0 } }, c.out(0));
}

export const FUSED_MAPPINGS: Record<string, OpMapping> = { attention, layerNorm, biasAct, mseLoss };
