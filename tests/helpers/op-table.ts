// THE op table of the tests: one row per differentiable op (each primitive and each composite),
// with float64 inputs away from kinks. tests/ops-table.test.ts checks every row with gradcheck,
// gradgradcheck (smooth rows), float32 against float64, and the naive reference where a row has
// one, on every available backend (tests/helpers/backends.ts).

import * as st from "../../src/index.js";
import type { DType, GradcheckOptions, Tensor } from "../../src/index.js";
import { indexTensor, randomTensor as r } from "./data.js";
import { linalgOpRows } from "./op-table-linalg.js";
import { convRows } from "./op-table-conv.js";
import { TOOLBOX_ROWS } from "./op-table-toolbox.js";
import { rnnRows } from "./op-table-rnn.js";
import { FUSE_ROWS } from "./op-table-fuse.js";
import { splitRows } from "./op-table-split.js";
import { type Ref, naiveBinary, naiveExpand, naiveMatmul, naiveReduce, naiveSliceScatter } from "./reference.js";

export interface OpRow {
  name: string;
  /** The op under test; may return several outputs (split, chunk). */
  fn: (...xs: Tensor[]) => Tensor | Tensor[];
  /** Fresh float64 inputs (float32-representable values) that require grad. */
  inputs: () => Tensor[];
  /** Twice differentiable at these inputs, so gradgradcheck applies. */
  smooth: boolean;
  /** Naive float64 reference of the forward, from the inputs' values. */
  forward?: (...xs: Ref[]) => Ref;
  /** gradcheck options when the defaults do not fit (e.g. a larger eps through a float32 cast). */
  grad?: GradcheckOptions;
  /** The outputs' dtype when it does not follow the inputs' (casts): float32 inputs then give this. */
  outDType?: DType;
}

const map = (f: (v: number) => number) => (x: Ref): Ref => ({ shape: x.shape, data: x.data.map(f) });
const zip = (f: (a: number, b: number) => number) => (a: Ref, b: Ref): Ref => naiveBinary(a, b, f);
const sumRef = (dims?: number[], keepdim = false) => (x: Ref) => naiveReduce(x, dims, keepdim, 0, (a, v) => a + v);
const meanRef = (dims?: number[], keepdim = false) => (x: Ref) => naiveReduce(x, dims, keepdim, 0, (a, v) => a + v, (a, n) => a / n);
const prodRef = (dims?: number[], keepdim = false) => (x: Ref) => naiveReduce(x, dims, keepdim, 1, (a, v) => a * v);
const maxRef = (dims?: number[], keepdim = false) => (x: Ref) => naiveReduce(x, dims, keepdim, -Infinity, Math.max);
const minRef = (dims?: number[], keepdim = false) => (x: Ref) => naiveReduce(x, dims, keepdim, Infinity, Math.min);
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
const erf = (v: number) => {
  // Abramowitz–Stegun 7.1.26 is only 1e-7 accurate; use the series, exact to 1e-15 for |v| < 3
  let s = 0, term = v;
  for (let n = 0; n < 80; n++) {
    s += term / (2 * n + 1);
    term *= (-v * v) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * s;
};
const roundHalfEven = (v: number) => {
  const f = Math.floor(v);
  const d = v - f;
  return d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f;
};

/** The transpose of a 2-D reference. */
const transpose2 = (w: Ref): Ref => {
  const [n, k] = w.shape as [number, number];
  return { shape: [k, n], data: Array.from({ length: n * k }, (_, i) => w.data[(i % n) * k + Math.floor(i / n)]!) };
};
const pos = (shape: number[], seed: number) => r(shape, seed, { signed: false });
const distinct = (shape: number[], seed: number) => r(shape, seed, { distinct: true, lo: 0.1, hi: 2 });
const X = () => [r([2, 3], 1)];
const X3 = () => [r([2, 3, 4], 2)];
const mask23 = () => st.tensor([[true, false, true], [false, false, true]]);

const unaryRows: OpRow[] = [
  { name: "neg", fn: (x) => x.neg(), inputs: X, smooth: true, forward: map((v) => -v) },
  { name: "abs (away from 0)", fn: (x) => x.abs(), inputs: X, smooth: true, forward: map(Math.abs) },
  { name: "sign (gradient 0)", fn: (x) => x.sign().mul(x), inputs: X, smooth: true, forward: map((v) => Math.sign(v) * v) },
  { name: "exp", fn: (x) => x.exp(), inputs: X, smooth: true, forward: map(Math.exp) },
  { name: "expm1", fn: (x) => x.expm1(), inputs: X, smooth: true, forward: map(Math.expm1) },
  { name: "log", fn: (x) => x.log(), inputs: () => [pos([2, 3], 3)], smooth: true, forward: map(Math.log) },
  { name: "log1p", fn: (x) => x.log1p(), inputs: () => [pos([2, 3], 3)], smooth: true, forward: map(Math.log1p) },
  { name: "sqrt", fn: (x) => x.sqrt(), inputs: () => [pos([2, 3], 4)], smooth: true, forward: map(Math.sqrt) },
  { name: "rsqrt", fn: (x) => x.rsqrt(), inputs: () => [pos([2, 3], 4)], smooth: true, forward: map((v) => 1 / Math.sqrt(v)) },
  { name: "square", fn: (x) => x.square(), inputs: X, smooth: true, forward: map((v) => v * v) },
  { name: "sin", fn: (x) => x.sin(), inputs: X, smooth: true, forward: map(Math.sin) },
  { name: "cos", fn: (x) => x.cos(), inputs: X, smooth: true, forward: map(Math.cos) },
  { name: "tanh", fn: (x) => x.tanh(), inputs: X, smooth: true, forward: map(Math.tanh) },
  { name: "sigmoid", fn: (x) => x.sigmoid(), inputs: X, smooth: true, forward: map(sigmoid) },
  { name: "relu (away from 0)", fn: (x) => x.relu(), inputs: X, smooth: true, forward: map((v) => Math.max(v, 0)) },
  { name: "erf", fn: (x) => x.erf(), inputs: X, smooth: true, forward: map(erf) },
  // the rounding ops have gradient 0; multiplying by x keeps the output differentiable to check
  { name: "floor", fn: (x) => x.floor().mul(x), inputs: () => [r([2, 3], 5, { lo: 1.1, hi: 1.9 })], smooth: true, forward: map((v) => Math.floor(v) * v) },
  { name: "ceil", fn: (x) => x.ceil().mul(x), inputs: () => [r([2, 3], 5, { lo: 1.1, hi: 1.9 })], smooth: true, forward: map((v) => Math.ceil(v) * v) },
  // round jumps at the halves, so gradients are checked away from them (ops-forward checks half to even)
  { name: "round", fn: (x) => x.round().add(x), inputs: () => [st.tensor([0.4, 1.6, 2.3, -0.4, -1.3, 1.7], { dtype: "float64", requiresGrad: true })], smooth: true, forward: map((v) => roundHalfEven(v) + v) },
  // float32 rounds by 6e-8 relative, so the central difference needs a larger step
  { name: "cast float64 → float32 → float64", fn: (x) => x.float().double(), inputs: X, smooth: true, forward: map(Math.fround), grad: { eps: 1e-3 }, outDType: "float64" },
  { name: "cast (to) and clone", fn: (x) => x.to("float64").clone().mul(x), inputs: X, smooth: true, forward: map((v) => v * v), outDType: "float64" },
];

const binaryRows: OpRow[] = [
  { name: "add [2,3] + [3]", fn: (a, b) => a.add(b), inputs: () => [r([2, 3], 6), r([3], 7)], smooth: true, forward: zip((a, b) => a + b) },
  { name: "add [2,1] + [1,3]", fn: (a, b) => st.add(a, b), inputs: () => [r([2, 1], 6), r([1, 3], 7)], smooth: true, forward: zip((a, b) => a + b) },
  { name: "add scalar", fn: (a) => a.add(2.5), inputs: X, smooth: true, forward: map((v) => v + 2.5) },
  { name: "sub [2,3] − [2,1]", fn: (a, b) => a.sub(b), inputs: () => [r([2, 3], 8), r([2, 1], 9)], smooth: true, forward: zip((a, b) => a - b) },
  { name: "sub scalar − tensor", fn: (a) => st.sub(1, a), inputs: X, smooth: true, forward: map((v) => 1 - v) },
  { name: "mul [2,3] · [3]", fn: (a, b) => a.mul(b), inputs: () => [r([2, 3], 10), r([3], 11)], smooth: true, forward: zip((a, b) => a * b) },
  { name: "mul [4,1,3] · [2,1] (both broadcast)", fn: (a, b) => a.mul(b), inputs: () => [r([4, 1, 3], 10), r([2, 1], 11)], smooth: true, forward: zip((a, b) => a * b) },
  { name: "mul by itself", fn: (a) => a.mul(a), inputs: X, smooth: true, forward: map((v) => v * v) },
  { name: "div [2,3] / [3]", fn: (a, b) => a.div(b), inputs: () => [r([2, 3], 12), r([3], 13)], smooth: true, forward: zip((a, b) => a / b) },
  { name: "div scalar / tensor", fn: (a) => st.div(2, a), inputs: X, smooth: true, forward: map((v) => 2 / v) },
  { name: "pow tensor ** tensor", fn: (a, b) => a.pow(b), inputs: () => [pos([2, 3], 14), r([3], 15)], smooth: true, forward: zip(Math.pow) },
  { name: "pow tensor ** 3", fn: (a) => a.pow(3), inputs: X, smooth: true, forward: map((v) => v ** 3) },
  { name: "pow tensor ** 0.5", fn: (a) => a.pow(0.5), inputs: () => [pos([2, 3], 16)], smooth: true, forward: map(Math.sqrt) },
  { name: "pow 2 ** tensor", fn: (a) => st.pow(2, a), inputs: X, smooth: true, forward: map((v) => 2 ** v) },
  { name: "maximum (distinct values)", fn: (a, b) => a.maximum(b), inputs: () => [distinct([2, 3], 17), distinct([3], 18)], smooth: true, forward: zip(Math.max) },
  { name: "minimum (distinct values)", fn: (a, b) => st.minimum(a, b), inputs: () => [distinct([2, 3], 19), distinct([2, 1], 20)], smooth: true, forward: zip(Math.min) },
  { name: "where(cond, a, b) with broadcast b", fn: (a, b) => st.where(mask23(), a, b), inputs: () => [r([2, 3], 21), r([3], 22)], smooth: true },
  { name: "where(cond, a, 0)", fn: (a) => st.where(mask23(), a.exp(), 0), inputs: X, smooth: true },
  { name: "clamp(x, −0.8, 0.9)", fn: (x) => x.clamp(-0.8, 0.9), inputs: () => [st.tensor([[-1.3, -0.6, 0.2], [0.7, 1.2, -0.1]], { dtype: "float64", requiresGrad: true })], smooth: true, forward: map((v) => Math.min(Math.max(v, -0.8), 0.9)) },
  { name: "clamp(x, lo only)", fn: (x) => st.clamp(x, 0.25).square(), inputs: X, smooth: true, forward: map((v) => Math.max(v, 0.25) ** 2) },
];

const reduceRows: OpRow[] = [
  { name: "sum all", fn: (x) => x.sum(), inputs: X3, smooth: true, forward: sumRef() },
  { name: "sum dim 1", fn: (x) => x.sum(1), inputs: X3, smooth: true, forward: sumRef([1]) },
  { name: "sum dims [0, 2] keepdim", fn: (x) => x.sum([0, 2], true), inputs: X3, smooth: true, forward: sumRef([0, 2], true) },
  { name: "sum dims [−1, 0]", fn: (x) => st.sum(x, [-1, 0]), inputs: X3, smooth: true, forward: sumRef([-1, 0]) },
  { name: "mean all", fn: (x) => x.mean(), inputs: X3, smooth: true, forward: meanRef() },
  { name: "mean dim −1 keepdim", fn: (x) => x.mean(-1, true), inputs: X3, smooth: true, forward: meanRef([-1], true) },
  { name: "mean dims [0, 1]", fn: (x) => x.mean([0, 1]), inputs: X3, smooth: true, forward: meanRef([0, 1]) },
  { name: "prod all", fn: (x) => x.prod(), inputs: () => [r([2, 3], 23, { lo: 0.7, hi: 1.3 })], smooth: true, forward: prodRef() },
  { name: "prod dim 1", fn: (x) => x.prod(1), inputs: X3, smooth: true, forward: prodRef([1]) },
  { name: "prod dims [0, −1] keepdim", fn: (x) => x.prod([0, -1], true), inputs: X3, smooth: true, forward: prodRef([0, -1], true) },
  { name: "prod with zeros (one and two per lane)", fn: (x) => x.prod(1), inputs: () => [st.tensor([[0.5, 0, 2, 1.5], [0, 1.25, 0, -2], [1, 2, 3, -0.5]], { dtype: "float64", requiresGrad: true })], smooth: true, forward: prodRef([1]) },
  { name: "max all", fn: (x) => x.max(), inputs: () => [distinct([2, 3, 4], 24)], smooth: true, forward: maxRef() },
  { name: "max dim 1", fn: (x) => x.max(1), inputs: () => [distinct([2, 3, 4], 25)], smooth: true, forward: maxRef([1]) },
  { name: "max dims [0, 2] keepdim", fn: (x) => st.amax(x, [0, 2], true), inputs: () => [distinct([2, 3, 4], 26)], smooth: true, forward: maxRef([0, 2], true) },
  { name: "min dim −1", fn: (x) => x.min(-1), inputs: () => [distinct([2, 3, 4], 27)], smooth: true, forward: minRef([-1]) },
  { name: "min all", fn: (x) => x.min(), inputs: () => [distinct([2, 3, 4], 28)], smooth: true, forward: minRef() },
  { name: "var dim 1 correction 1", fn: (x) => x.var(1), inputs: X3, smooth: true },
  { name: "var dims [0, 2] correction 0 keepdim", fn: (x) => st.var(x, [0, 2], { correction: 0, keepdim: true }), inputs: X3, smooth: true },
  { name: "var all correction 0", fn: (x) => x.var(undefined, { correction: 0 }), inputs: X3, smooth: true },
  { name: "std dim −1 correction 1", fn: (x) => x.std(-1), inputs: X3, smooth: true },
  { name: "std all correction 0", fn: (x) => st.std(x, undefined, { correction: 0 }), inputs: X3, smooth: true },
  { name: "logsumexp dim 1", fn: (x) => x.logsumexp(1), inputs: X3, smooth: true },
  { name: "logsumexp all keepdim", fn: (x) => st.logsumexp(x, undefined, true), inputs: X3, smooth: true },
  { name: "logsumexp dims [0, −1]", fn: (x) => st.logsumexp(x, [0, -1]), inputs: X3, smooth: true },
  { name: "softmax dim −1", fn: (x) => x.softmax(-1), inputs: X3, smooth: true },
  { name: "softmax dim 0", fn: (x) => st.softmax(x, 0), inputs: X3, smooth: true },
  // the `layerNorm` primitive runs when fused LayerNorm kernels are installed (ops-table.test.ts
  // installs the reference ones); otherwise these rows check the composite form
  {
    name: "layerNorm over the last dim, affine", fn: (x, w, b) => st.nn.functional.layerNorm(x, [4], w, b),
    inputs: () => [r([2, 3, 4], 60), r([4], 61), r([4], 62)], smooth: true,
  },
  { name: "layerNorm over the last two dims", fn: (x) => st.nn.functional.layerNorm(x, [3, 4]), inputs: () => [r([2, 3, 4], 63)], smooth: true },
  { name: "layerNorm, weight only", fn: (x, w) => st.nn.functional.layerNorm(x, [5], w), inputs: () => [r([3, 5], 64), r([5], 65)], smooth: true },
  { name: "logSoftmax dim 1", fn: (x) => x.logSoftmax(1), inputs: X3, smooth: true },
  { name: "norm p=1 all", fn: (x) => x.norm(1), inputs: X3, smooth: true },
  { name: "norm p=2 dim 1", fn: (x) => x.norm(2, 1), inputs: X3, smooth: true },
  { name: "norm p=2 all", fn: (x) => st.norm(x), inputs: X3, smooth: true },
  { name: "norm p=inf dims [0, 2] keepdim", fn: (x) => x.norm(Infinity, [0, 2], true), inputs: () => [distinct([2, 3, 4], 29)], smooth: true },
  { name: "norm p='inf' all", fn: (x) => x.norm("inf"), inputs: () => [distinct([2, 3, 4], 30)], smooth: true },
  { name: "norm p=3 dim −1", fn: (x) => x.norm(3, -1), inputs: X3, smooth: true },
  { name: "norm 'fro'", fn: (x) => st.linalg.norm(x, "fro"), inputs: () => [r([3, 4], 31)], smooth: true },
];

const linalgRows: OpRow[] = [
  { name: "matmul 1-D · 1-D", fn: (a, b) => a.matmul(b), inputs: () => [r([4], 32), r([4], 33)], smooth: true },
  { name: "matmul 1-D · 2-D", fn: (a, b) => st.matmul(a, b), inputs: () => [r([4], 34), r([4, 3], 35)], smooth: true },
  { name: "matmul 2-D · 1-D", fn: (a, b) => st.matmul(a, b), inputs: () => [r([3, 4], 36), r([4], 37)], smooth: true },
  { name: "matmul 2-D · 2-D", fn: (a, b) => a.matmul(b), inputs: () => [r([3, 4], 38), r([4, 2], 39)], smooth: true, forward: naiveMatmul },
  { name: "matmul batched [2,1,3,4] · [5,4,2]", fn: (a, b) => a.matmul(b), inputs: () => [r([2, 1, 3, 4], 40), r([5, 4, 2], 41)], smooth: true },
  { name: "matmul 2-D · batched [2,4,3]", fn: (a, b) => a.matmul(b), inputs: () => [r([3, 4], 42), r([2, 4, 3], 43)], smooth: true },
  { name: "matmul batched · 1-D", fn: (a, b) => a.matmul(b), inputs: () => [r([2, 3, 4], 44), r([4], 45)], smooth: true },
  { name: "matmul of transposes (aᵀ·bᵀ)", fn: (a, b) => a.mT.matmul(b.T), inputs: () => [r([4, 3], 46), r([2, 4], 47)], smooth: true },
  { name: "matmul batched [2,3,4] · 2-D [4,5] (one weight for the batch)", fn: (a, b) => a.matmul(b), inputs: () => [r([2, 3, 4], 60), r([4, 5], 61)], smooth: true },
  { name: "linear on 3-D input: x [2,3,4] · wᵀ, w [5,4]", fn: (x, w) => st.nn.functional.linear(x, w), inputs: () => [r([2, 3, 4], 62), r([5, 4], 63)], smooth: true },
  // with a bias: the `linear` primitive (GEMM, then the bias added in place)
  {
    name: "linear x·wᵀ + b: x [3,4], w [5,4], b [5]", fn: (x, w, b) => st.nn.functional.linear(x, w, b),
    inputs: () => [r([3, 4], 66), r([5, 4], 67), r([5], 68)], smooth: true,
    forward: (x, w, b) => naiveBinary(naiveMatmul(x, transpose2(w)), b, (p, q) => p + q),
  },
  {
    name: "linear x·wᵀ + b on 3-D input", fn: (x, w, b) => st.nn.functional.linear(x, w, b),
    inputs: () => [r([2, 3, 4], 69), r([2, 4], 70), r([2], 71)], smooth: true,
  },
  { name: "dot", fn: (a, b) => st.dot(a, b), inputs: () => [r([5], 48), r([5], 49)], smooth: true },
  { name: "outer", fn: (a, b) => a.outer(b), inputs: () => [r([3], 50), r([4], 51)], smooth: true },
  { name: "cov correction 1", fn: (x) => st.cov(x), inputs: () => [r([3, 6], 52)], smooth: true },
  { name: "cov correction 0", fn: (x) => st.cov(x, { correction: 0 }), inputs: () => [r([3, 6], 53)], smooth: true },
  { name: "corrcoef", fn: (x) => st.corrcoef(x), inputs: () => [r([3, 6], 54)], smooth: true },
  { name: "diagonal", fn: (x) => st.diagonal(x), inputs: () => [r([3, 4], 55)], smooth: true },
  // svd: U and V are defined up to column signs, so the rows differentiate gauge-invariant results
  { name: "svd singular values (tall)", fn: (x) => st.linalg.svd(x).S, inputs: () => [r([5, 3], 56)], smooth: true },
  { name: "svd U·diag(S)·Vh (wide)", fn: (x) => { const { U, S, Vh } = st.linalg.svd(x); return U.mul(S.unsqueeze(0)).matmul(Vh); }, inputs: () => [r([3, 5], 57)], smooth: true },
  { name: "svd U² and Vh² (square)", fn: (x) => { const { U, Vh } = st.linalg.svd(x); return st.cat([U.square().flatten(), Vh.square().flatten()]); }, inputs: () => [r([4, 4], 58)], smooth: true },
  { name: "svd leading rank-1 term u₀v₀ᵀ (tall)", fn: (x) => { const { U, Vh } = st.linalg.svd(x); return st.outer(U.index(null, 0), Vh.index(0)); }, inputs: () => [r([6, 4], 59)], smooth: true },
];

const shapeRows: OpRow[] = [
  { name: "reshape with −1", fn: (x) => x.reshape([6, -1]).exp(), inputs: X3, smooth: true },
  { name: "view", fn: (x) => x.view(4, 6).mul(x.view(4, 6)), inputs: X3, smooth: true },
  { name: "flatten(1)", fn: (x) => x.flatten(1).square(), inputs: X3, smooth: true },
  { name: "squeeze", fn: (x) => x.squeeze(1).exp(), inputs: () => [r([2, 1, 3], 56)], smooth: true },
  { name: "unsqueeze(−1)", fn: (x) => x.unsqueeze(-1).mul(x.unsqueeze(0)), inputs: () => [r([3], 57)], smooth: true },
  { name: "expand [3,1] → [2,3,4]", fn: (x) => x.expand(2, 3, 4).square(), inputs: () => [r([3, 1], 58)], smooth: true, forward: (x) => map((v) => v * v)(naiveExpand(x, [2, 3, 4])) },
  { name: "broadcastTo with −1", fn: (x) => st.broadcastTo(x, [2, -1, 3]).exp(), inputs: () => [r([4, 1], 59)], smooth: true, forward: (x) => map(Math.exp)(naiveExpand(x, [2, -1, 3])) },
  { name: "permute [2, 0, 1]", fn: (x) => x.permute(2, 0, 1).square(), inputs: X3, smooth: true },
  { name: "transpose(0, 2)", fn: (x) => x.transpose(0, 2).mul(2), inputs: X3, smooth: true },
  { name: ".T (all dims reversed)", fn: (x) => x.T.exp(), inputs: X3, smooth: true },
  { name: ".mT (last two dims)", fn: (x) => x.mT.square(), inputs: X3, smooth: true },
  { name: "slice with steps and negative indices", fn: (x) => x.slice([null, null, 2], [-3, -1], [null, null, 3]).exp(), inputs: () => [r([3, 4, 5], 60)], smooth: true },
  { name: "slice with an index (drops a dim)", fn: (x) => x.index(-1, [1, null, 2]).square(), inputs: X3, smooth: true },
  { name: "sliceScatter", fn: (a, b) => st.sliceScatter(a, b, [0, 1], [2, 2]).square(), inputs: () => [r([3, 5], 61), r([2, 2], 62)], smooth: true, forward: (a, b) => map((v) => v * v)(naiveSliceScatter(a, b, [0, 1], [2, 2])) },
  { name: "narrow(1, 1, 2)", fn: (x) => x.narrow(1, 1, 2).square(), inputs: X3, smooth: true },
  { name: "cat along dim 1", fn: (a, b, c) => st.cat([a, b, c], 1).square(), inputs: () => [r([2, 1], 63), r([2, 3], 64), r([2, 2], 65)], smooth: true },
  { name: "stack along dim −1", fn: (a, b) => st.stack([a, b.exp()], -1), inputs: () => [r([2, 3], 66), r([2, 3], 67)], smooth: true },
  { name: "split into [1, 2] along dim 1", fn: (x) => x.split([1, 2], 1).map((t, i) => t.mul(i + 1).square()), inputs: X3, smooth: true },
  { name: "split by size 3 (last piece smaller)", fn: (x) => st.split(x, 3, -1), inputs: X3, smooth: true },
  { name: "chunk(2, −1)", fn: (x) => x.chunk(2, -1).map((t) => t.exp()), inputs: X3, smooth: true },
  { name: "gather dim 1", fn: (x) => x.gather(1, indexTensor([0, 2, 2, 1, 0, 0], [2, 3])).square(), inputs: () => [r([2, 4], 68)], smooth: true },
  { name: "indexSelect with repeats", fn: (x) => x.indexSelect(0, indexTensor([2, 0, 2])).square(), inputs: () => [r([3, 2], 69)], smooth: true },
  { name: "scatterAdd with duplicates", fn: (x, s) => x.scatterAdd(0, indexTensor([1, 0, 1, 1, 1, 0], [2, 3]), s).square(), inputs: () => [r([3, 3], 70), r([2, 3], 71)], smooth: true },
  { name: "indexAdd with duplicates", fn: (x, s) => x.indexAdd(1, indexTensor([2, 0, 2]), s).square(), inputs: () => [r([2, 4], 72), r([2, 3], 73)], smooth: true },
  { name: "maskedFill", fn: (x) => x.maskedFill(mask23(), -1.5).square(), inputs: X, smooth: true },
  { name: "pad last dim", fn: (x) => x.pad([1, 2]).exp(), inputs: X, smooth: true },
  { name: "pad two dims with a value", fn: (x) => st.pad(x, [1, 0, 2, 1], 0.5).square(), inputs: X3, smooth: true },
  { name: "repeat [2, 1, 3]", fn: (x) => x.repeat(2, 1, 3).square(), inputs: X, smooth: true },
  { name: "tril(1)", fn: (x) => x.tril(1).square(), inputs: () => [r([3, 4], 74)], smooth: true },
  { name: "triu(−1) batched", fn: (x) => st.triu(x, -1).exp(), inputs: X3, smooth: true },
];

const inplaceRows: OpRow[] = [
  {
    name: "in-place add_/mul_/sub_/div_/clamp_ on a non-leaf",
    fn: (x, y) => {
      const z = x.mul(y);
      z.add_(x);
      z.mul_(y);
      z.sub_(y, 0.5);
      z.div_(y.exp());
      z.clamp_(-50, 50);
      return z;
    },
    inputs: () => [r([2, 3], 75), r([2, 3], 76)],
    smooth: true,
    forward: (x, y) => zip((a, b) => Math.min(50, Math.max(-50, ((a * b + a) * b - 0.5 * b) / Math.exp(b))))(x, y),
  },
  {
    name: "in-place copy_ replaces the old values",
    fn: (x, y) => {
      const z = x.mul(3);
      z.copy_(y.exp());
      return z.mul(x);
    },
    inputs: () => [r([2, 3], 77), r([3], 78)],
    smooth: true,
    forward: (x, y) => zip((a, b) => Math.exp(b) * a)(x, y),
  },
];

// scaled dot-product attention through the `attention` primitive (q [B, L, E], k [B, S, E], v [B, S, Ev])
const sdpa = (opts: Parameters<typeof st.nn.functional.scaledDotProductAttention>[3]) =>
  (q: Tensor, k: Tensor, v: Tensor) => st.nn.functional.scaledDotProductAttention(q, k, v, opts);
const QKV = () => [r([2, 3, 4], 80), r([2, 5, 4], 81), r([2, 5, 3], 82)];
const attentionRows: OpRow[] = [
  { name: "scaledDotProductAttention, no mask", fn: sdpa({}), inputs: QKV, smooth: true },
  { name: "scaledDotProductAttention, causal", fn: sdpa({ isCausal: true }), inputs: QKV, smooth: true },
  {
    name: "scaledDotProductAttention, bool padding mask [B, 1, S] with a fully masked batch entry",
    fn: sdpa({ attnMask: st.tensor([[[true, true, false, true, false]], [[false, false, false, false, false]]]) }), inputs: QKV, smooth: true,
  },
  { name: "scaledDotProductAttention, additive mask, scale 0.3", fn: sdpa({ attnMask: st.tensor([[0, -1, 0.5, 0, -Infinity]]), scale: 0.3 }), inputs: QKV, smooth: true },
];

/** Every row, grouped as the issue lists them. */
export const OP_TABLE: OpRow[] = [...unaryRows, ...binaryRows, ...reduceRows, ...linalgRows, ...shapeRows, ...inplaceRows, ...attentionRows,
  ...linalgOpRows, ...convRows, ...TOOLBOX_ROWS, ...rnnRows,
  ...splitRows];
OP_TABLE.push(...FUSE_ROWS); // the fused MSE loss (op-table-fuse.ts)
