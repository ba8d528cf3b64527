// Op-table rows of the split primitive (one kernel for every piece, one node whose backward is one
// cat; spread into OP_TABLE in tests/helpers/op-table.ts): float64 gradcheck and gradgradcheck (the
// backward is the cat op under createGraph), float32 against float64, on every backend.

import * as st from "../../src/index.js";
import { randomTensor as r } from "./data.js";
import type { OpRow } from "./op-table.js";

const X3 = () => [r([2, 5, 4], 301)];

export const splitRows: OpRow[] = [
  { name: "split: uneven sections [2, 1, 2] along dim 1", fn: (x) => st.split(x, [2, 1, 2], 1).map((t, i) => t.mul(i + 1).square()), inputs: X3, smooth: true },
  { name: "split: a piece unused (its gradient zeros)", fn: (x) => { const [a, , c] = st.split(x, [1, 3, 1], 1); return [a!.exp(), c!.square()]; }, inputs: X3, smooth: true },
  { name: "split: a piece used twice", fn: (x) => { const [a, b] = st.split(x, 2, -1); return a!.mul(b!).add(a!.square()); }, inputs: X3, smooth: true },
  { name: "split: along dim 0 (contiguous blocks), negative dim -3", fn: (x) => st.split(x, [1, 1], -3).map((t) => t.sin()), inputs: X3, smooth: true },
  { name: "split of a non-contiguous input (transpose)", fn: (x) => st.split(x.transpose(0, 2), [3, 1], 0).map((t, i) => t.mul(i + 2).tanh()), inputs: X3, smooth: true },
  { name: "split: pieces fed back into cat in another order", fn: (x) => { const [a, b, c] = st.chunk(x, 3, 1); return st.cat([c!, a!, b!.exp()], 1).square(); }, inputs: X3, smooth: true },
  { name: "split: pieces of pieces (nested)", fn: (x) => { const [a, b] = st.split(x, [3, 2], 1); return [...st.split(a!, 2, 2).map((t) => t.exp()), b!.square()]; }, inputs: X3, smooth: true },
];
