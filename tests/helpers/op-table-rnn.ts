// Op-table rows of issue 15's recurrent cells, activations and losses (spread into OP_TABLE in
// tests/helpers/op-table.ts): float64 gradcheck, gradgradcheck where smooth, float32 vs float64,
// and a naive reference for the elementwise activations, on every backend.

import * as st from "../../src/index.js";
import { randomTensor as r } from "./data.js";
import type { OpRow } from "./op-table.js";
import type { Ref } from "./reference.js";

const F = st.nn.functional;
const map = (f: (v: number) => number) => (x: Ref): Ref => ({ shape: x.shape, data: x.data.map(f) });
const sig = (v: number) => 1 / (1 + Math.exp(-v));
const wide = () => [r([3, 4], 201, { lo: 0.2, hi: 5 })];

// cells: x [B, I], h [B, H], (c), W_ih [G·H, I], W_hh [G·H, H], b_ih, b_hh  (B 2, I 3, H 4)
const cellInputs = (gates: number, withC: boolean, seed: number) => () => {
  const H = 4;
  const xs = [r([2, 3], seed), r([2, H], seed + 1)];
  if (withC) xs.push(r([2, H], seed + 2));
  xs.push(r([gates * H, 3], seed + 3, { lo: 0.1, hi: 0.6 }), r([gates * H, H], seed + 4, { lo: 0.1, hi: 0.6 }));
  xs.push(r([gates * H], seed + 5, { lo: 0.1, hi: 0.6 }), r([gates * H], seed + 6, { lo: 0.1, hi: 0.6 }));
  return xs;
};

export const rnnRows: OpRow[] = [
  { name: "silu", fn: (x) => F.silu(x), inputs: wide, smooth: true, forward: map((v) => v * sig(v)) },
  { name: "mish", fn: (x) => F.mish(x), inputs: wide, smooth: true, forward: map((v) => v * Math.tanh(Math.log1p(Math.exp(v)))) },
  { name: "hardtanh (away from ±1)", fn: (x) => F.hardtanh(x), inputs: () => [r([3, 4], 202, { lo: 0.1, hi: 0.8 })], smooth: true, forward: map((v) => Math.max(-1, Math.min(1, v))) },
  { name: "hardtanh [-2, 3] (both sides of the bounds)", fn: (x) => F.hardtanh(x, -2, 3), inputs: () => [r([3, 4], 203, { lo: 2.2, hi: 2.8 })], smooth: true, forward: map((v) => Math.max(-2, Math.min(3, v))) },
  { name: "hardswish (away from ±3)", fn: (x) => F.hardswish(x), inputs: () => [st.tensor([[-5, -2.5, -1, 0.5], [1.5, 2.9, 3.5, 6]], { dtype: "float64", requiresGrad: true })], smooth: true, forward: map((v) => v * Math.min(Math.max(v + 3, 0), 6) / 6) },
  { name: "logsigmoid", fn: (x) => F.logsigmoid(x), inputs: wide, smooth: true, forward: map((v) => Math.log(sig(v))) },
  { name: "softsign (away from 0)", fn: (x) => F.softsign(x), inputs: wide, smooth: true, forward: map((v) => v / (1 + Math.abs(v))) },
  { name: "cosineSimilarity dim 1", fn: (a, b) => F.cosineSimilarity(a, b), inputs: () => [r([3, 4], 204), r([3, 4], 205)], smooth: true },
  { name: "cosineSimilarity broadcast, dim -1", fn: (a, b) => F.cosineSimilarity(a, b, -1), inputs: () => [r([2, 3, 4], 206), r([3, 4], 207)], smooth: true },
  { name: "klDiv batchmean", fn: (a, b) => F.klDiv(a.logSoftmax(-1), b.softmax(-1), { reduction: "batchmean" }), inputs: () => [r([3, 4], 208), r([3, 4], 209)], smooth: true },
  { name: "klDiv logTarget", fn: (a, b) => F.klDiv(a, b, { logTarget: true, reduction: "sum" }), inputs: () => [r([3, 4], 210), r([3, 4], 211)], smooth: true },
  { name: "cosineEmbeddingLoss (margin −0.9: every pair active)", fn: (a, b) => F.cosineEmbeddingLoss(a, b, st.tensor([1, -1, 1, -1]), { margin: -0.9 }), inputs: () => [r([4, 3], 212), r([4, 3], 213)], smooth: true },
  { name: "tripletMarginLoss", fn: (a, p, n) => F.tripletMarginLoss(a, p, n, { margin: 5 }), inputs: () => [r([3, 4], 214), r([3, 4], 215), r([3, 4], 216)], smooth: true },
  { name: "marginRankingLoss (active)", fn: (a, b) => F.marginRankingLoss(a, b, st.tensor([1, -1, 1]), { margin: 5 }), inputs: () => [r([3], 217), r([3], 218)], smooth: true },
  {
    name: "rnnCell tanh",
    fn: (x, h, wi, wh, bi, bh) => F.rnnCell(x!, h!, wi!, wh!, bi!, bh!),
    inputs: cellInputs(1, false, 220), smooth: true,
  },
  {
    name: "lstmCell, composite (h' and c')",
    fn: (x, h, c, wi, wh, bi, bh) => F.lstmCell(x!, h!, c!, wi!, wh!, bi!, bh!, { fused: false }),
    inputs: cellInputs(4, true, 230), smooth: true,
  },
  {
    name: "lstmCell, fused primitive (the default; h' and c')",
    fn: (x, h, c, wi, wh, bi, bh) => F.lstmCell(x!, h!, c!, wi!, wh!, bi!, bh!),
    inputs: cellInputs(4, true, 235), smooth: true,
  },
  {
    name: "gruCell, fused primitive (the default)",
    fn: (x, h, wi, wh, bi, bh) => F.gruCell(x!, h!, wi!, wh!, bi!, bh!),
    inputs: cellInputs(3, false, 240), smooth: true,
  },
  {
    name: "gruCell, composite",
    fn: (x, h, wi, wh, bi, bh) => F.gruCell(x!, h!, wi!, wh!, bi!, bh!, { fused: false }),
    inputs: cellInputs(3, false, 245), smooth: true,
  },
];
