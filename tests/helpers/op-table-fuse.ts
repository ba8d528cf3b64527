// Op-table rows of the fused MSE loss (spread into OP_TABLE in tests/helpers/op-table.ts): the
// `mseLoss` primitive per reduction, gradchecked in float64 (and gradgradchecked: its createGraph
// backward is the composite), float32 against float64 and a naive reference, on every backend.
// ReLU's rows are in op-table.ts; its backward kernel is covered by tests/relu-mse-fused.test.ts.

import * as st from "../../src/index.js";
import { randomTensor as r } from "./data.js";
import type { OpRow } from "./op-table.js";
import type { Ref } from "./reference.js";

const F = st.nn.functional;
const sqErr = (x: Ref, t: Ref) => x.data.map((v, i) => (v - t.data[i]!) ** 2);
const pair = (seed: number) => () => [r([3, 4], seed), r([3, 4], seed + 1)];

export const FUSE_ROWS: OpRow[] = [
  { name: "mseLoss mean", fn: (x, t) => F.mseLoss(x!, t!), inputs: pair(301), smooth: true, forward: (x, t) => ({ shape: [], data: [sqErr(x, t).reduce((a, b) => a + b, 0) / 12] }) },
  { name: "mseLoss sum", fn: (x, t) => F.mseLoss(x!, t!, { reduction: "sum" }), inputs: pair(303), smooth: true, forward: (x, t) => ({ shape: [], data: [sqErr(x, t).reduce((a, b) => a + b, 0)] }) },
  { name: "mseLoss none", fn: (x, t) => F.mseLoss(x!, t!, { reduction: "none" }), inputs: pair(305), smooth: true, forward: (x, t) => ({ shape: x.shape, data: sqErr(x, t) }) },
];
