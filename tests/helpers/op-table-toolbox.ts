// Op-table rows of the tensor toolbox (issue 15), spread into OP_TABLE (op-table.ts): each new
// primitive (trig and friends, atan2/remainder/fmod/hypot, cumsum/cumprod, scatterReduce) and the
// differentiable composites (sort/topk/kthvalue/median/quantile, einsum, mm family, diag, flip,
// roll, …), with naive float64 references of the forward where they are short to write.

import * as st from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { indexTensor, randomTensor as r } from "./data.js";
import type { OpRow } from "./op-table.js";
import { type Ref, naiveAlongDim, naiveBinary, naiveMatmul } from "./reference.js";

const map = (f: (v: number) => number) => (x: Ref): Ref => ({ shape: x.shape, data: x.data.map(f) });
const zip = (f: (a: number, b: number) => number) => (a: Ref, b: Ref): Ref => naiveBinary(a, b, f);
const X = () => [r([2, 3], 101)];
const in01 = (seed: number) => () => [r([2, 3], seed, { lo: 0.1, hi: 0.85 })];
const distinct = (shape: number[], seed: number) => r(shape, seed, { distinct: true, lo: 0.1, hi: 2 });
const erfinvRef = (y: number) => {
  // bisection on the series erf: slow and simple, exact to 1e-15
  const erf = (v: number) => {
    let s = 0, term = v;
    for (let n = 0; n < 80; n++) { s += term / (2 * n + 1); term *= (-v * v) / (n + 1); }
    return (2 / Math.sqrt(Math.PI)) * s;
  };
  let lo = -4, hi = 4;
  for (let i = 0; i < 200; i++) { const m = (lo + hi) / 2; if (erf(m) < y) lo = m; else hi = m; }
  return (lo + hi) / 2;
};
/** Running reduction of each lane along dim. */
const scanRef = (dim: number, f: (acc: number, v: number) => number) => (x: Ref) =>
  naiveAlongDim(x, dim, (lane) => { let acc: number | null = null; return lane.map((v) => (acc = acc === null ? v : f(acc, v))); });
/** A float64 leaf with the given values (zeros included on purpose). */
const leaf = (values: number[], shape: number[]) => st.tensor(Float64Array.from(values), { shape, requiresGrad: true });

const elementRows: OpRow[] = [
  { name: "tan", fn: (x) => x.tan(), inputs: X, smooth: true, forward: map(Math.tan) },
  { name: "asin", fn: (x) => x.asin(), inputs: in01(102), smooth: true, forward: map(Math.asin) },
  { name: "acos", fn: (x) => st.acos(x), inputs: in01(103), smooth: true, forward: map(Math.acos) },
  { name: "atan", fn: (x) => x.atan(), inputs: X, smooth: true, forward: map(Math.atan) },
  { name: "sinh", fn: (x) => x.sinh(), inputs: X, smooth: true, forward: map(Math.sinh) },
  { name: "cosh", fn: (x) => st.cosh(x), inputs: X, smooth: true, forward: map(Math.cosh) },
  { name: "asinh", fn: (x) => x.asinh(), inputs: X, smooth: true, forward: map(Math.asinh) },
  { name: "acosh", fn: (x) => x.acosh(), inputs: () => [r([2, 3], 104, { lo: 1.2, hi: 2.5, signed: false })], smooth: true, forward: map(Math.acosh) },
  { name: "atanh", fn: (x) => x.atanh(), inputs: in01(105), smooth: true, forward: map(Math.atanh) },
  { name: "log2", fn: (x) => x.log2(), inputs: () => [r([2, 3], 106, { signed: false })], smooth: true, forward: map(Math.log2) },
  { name: "log10", fn: (x) => st.log10(x), inputs: () => [r([2, 3], 107, { signed: false })], smooth: true, forward: map(Math.log10) },
  { name: "exp2", fn: (x) => x.exp2(), inputs: X, smooth: true, forward: map((v) => 2 ** v) },
  { name: "erfinv", fn: (x) => x.erfinv(), inputs: in01(108), smooth: true, forward: map(erfinvRef) },
  { name: "reciprocal", fn: (x) => x.reciprocal(), inputs: X, smooth: true, forward: map((v) => 1 / v) },
  { name: "atan2 broadcast [2,3]·[3]", fn: (y, x) => y.atan2(x), inputs: () => [r([2, 3], 109), r([3], 110)], smooth: true, forward: zip(Math.atan2) },
  // a/b kept away from integers: remainder and fmod are piecewise linear in b
  {
    name: "remainder (Python sign)", fn: (a, b) => st.remainder(a, b), smooth: true,
    inputs: () => [r([2, 3], 111, { lo: 2.1, hi: 2.9 }), r([2, 3], 112, { lo: 1.0, hi: 1.04 })],
    forward: zip((a, b) => a - b * Math.floor(a / b)),
  },
  {
    name: "fmod (C sign)", fn: (a, b) => a.fmod(b), smooth: true,
    inputs: () => [r([2, 3], 113, { lo: 2.1, hi: 2.9 }), r([2, 3], 114, { lo: 1.0, hi: 1.04 })],
    forward: zip((a, b) => a - b * Math.trunc(a / b)),
  },
  { name: "hypot", fn: (a, b) => a.hypot(b), inputs: () => [r([2, 3], 115), r([2, 3], 116)], smooth: true, forward: zip(Math.hypot) },
  { name: "lerp with a tensor weight", fn: (a, b, w) => a.lerp(b, w), inputs: () => [r([2, 3], 117), r([2, 3], 118), r([3], 119)], smooth: true },
];

const cumulativeRows: OpRow[] = [
  { name: "cumsum dim 1", fn: (x) => x.cumsum(1), inputs: () => [r([2, 3, 4], 120)], smooth: true, forward: scanRef(1, (a, v) => a + v) },
  { name: "cumsum dim −1 then square", fn: (x) => st.cumsum(x, -1).square(), inputs: X, smooth: true },
  { name: "cumprod dim 2", fn: (x) => x.cumprod(2), inputs: () => [r([2, 3, 4], 121)], smooth: true, forward: scanRef(2, (a, v) => a * v) },
  {
    name: "cumprod with zeros in the input (exact gradient)", fn: (x) => x.cumprod(1), smooth: true,
    inputs: () => [leaf([1.5, 0, -0.75, 2, 0.5, -1.25, 0, 0, 1.25, 0.5], [2, 5])], forward: scanRef(1, (a, v) => a * v),
  },
];

const orderRows: OpRow[] = [
  { name: "sort values dim 1", fn: (x) => x.sort(1).values, inputs: () => [distinct([3, 4], 122)], smooth: true },
  { name: "sort descending dim 0", fn: (x) => st.sort(x, 0, true).values.square(), inputs: () => [distinct([4, 3], 123)], smooth: true },
  { name: "topk 2 largest", fn: (x) => x.topk(2).values, inputs: () => [distinct([3, 5], 124)], smooth: true },
  { name: "topk 3 smallest dim 0", fn: (x) => st.topk(x, 3, 0, false).values, inputs: () => [distinct([4, 2], 125)], smooth: true },
  { name: "kthvalue k=2 keepdim", fn: (x) => x.kthvalue(2, 1, true).values, inputs: () => [distinct([3, 4], 126)], smooth: true },
  { name: "median of all", fn: (x) => x.median(), inputs: () => [distinct([3, 4], 127)], smooth: true },
  { name: "median dim 1", fn: (x) => st.median(x, 1).values, inputs: () => [distinct([3, 5], 128)], smooth: true },
  { name: "quantile linear, q tensor, dim 1", fn: (x) => st.quantile(x, st.tensor([0.25, 0.5, 0.9], { dtype: "float64" }), 1), inputs: () => [distinct([3, 5], 129)], smooth: true },
  { name: "quantile midpoint of all, keepdim", fn: (x) => x.quantile(0.4, null, { keepdim: true, interpolation: "midpoint" }), inputs: () => [distinct([2, 4], 130)], smooth: true },
];

const idx23 = () => indexTensor([1, 0, 1, 1, 1, 0], [2, 3]);
const scatterRows: OpRow[] = [
  { name: "scatter (src tensor)", fn: (x, s) => x.scatter(0, indexTensor([2, 0, 1], [1, 3]), s), inputs: () => [r([3, 3], 131), r([1, 3], 132)], smooth: true },
  { name: "scatterReduce sum", fn: (x, s) => x.scatterReduce(0, idx23(), s, "sum"), inputs: () => [r([3, 3], 133), r([2, 3], 134)], smooth: true },
  { name: "scatterReduce sum, includeSelf false", fn: (x, s) => st.scatterReduce(x, 0, idx23(), s, "sum", false), inputs: () => [r([3, 3], 135), r([2, 3], 136)], smooth: true },
  { name: "scatterReduce prod", fn: (x, s) => x.scatterReduce(0, idx23(), s, "prod"), inputs: () => [r([3, 3], 137), r([2, 3], 138)], smooth: true },
  {
    // first derivatives are exact with zeros; second derivatives at exact zeros are not (as in PyTorch)
    name: "scatterReduce prod with zeros", fn: (x, s) => x.scatterReduce(1, indexTensor([0, 0, 1, 1], [2, 2]), s, "prod"), smooth: false,
    inputs: () => [leaf([0, 1.5, -0.5, 2], [2, 2]), leaf([0.75, 0, 0, 1.25], [2, 2])],
  },
  { name: "scatterReduce mean", fn: (x, s) => x.scatterReduce(0, idx23(), s, "mean"), inputs: () => [r([3, 3], 139), r([2, 3], 140)], smooth: true },
  { name: "scatterReduce mean, includeSelf false", fn: (x, s) => x.scatterReduce(0, idx23(), s, "mean", { includeSelf: false }), inputs: () => [r([3, 3], 141), r([2, 3], 142)], smooth: true },
  { name: "scatterReduce amax", fn: (x, s) => x.scatterReduce(0, idx23(), s, "amax"), inputs: () => [distinct([3, 3], 143), distinct([2, 3], 144)], smooth: true },
  { name: "scatterReduce amin, includeSelf false", fn: (x, s) => x.scatterReduce(0, idx23(), s, "amin", false), inputs: () => [distinct([3, 3], 145), distinct([2, 3], 146)], smooth: true },
];

const ein = (eq: string) => (...xs: Tensor[]) => st.einsum(eq, ...xs);
const einsumRows: OpRow[] = [
  { name: "einsum ij,jk->ik", fn: ein("ij,jk->ik"), inputs: () => [r([3, 4], 147), r([4, 2], 148)], smooth: true, forward: naiveMatmul },
  { name: "einsum bij,bjk->bik", fn: ein("bij,bjk->bik"), inputs: () => [r([2, 3, 4], 149), r([2, 4, 2], 150)], smooth: true },
  { name: "einsum ii->i", fn: ein("ii->i"), inputs: () => [r([3, 3], 151)], smooth: true },
  { name: "einsum ii (trace)", fn: ein("ii"), inputs: () => [r([3, 3], 152)], smooth: true },
  { name: "einsum i,i-> (dot)", fn: ein("i,i->"), inputs: () => [r([4], 153), r([4], 154)], smooth: true },
  { name: "einsum ...ij->...ji", fn: ein("...ij->...ji"), inputs: () => [r([2, 3, 4], 155)], smooth: true },
  { name: "einsum bhqd,bhkd->bhqk", fn: ein("bhqd,bhkd->bhqk"), inputs: () => [r([2, 2, 3, 4], 156), r([2, 2, 5, 4], 157)], smooth: true },
  { name: "einsum implicit ij,jk,kl (chain)", fn: ein("ij,jk,kl"), inputs: () => [r([2, 3], 158), r([3, 4], 159), r([4, 2], 160)], smooth: true },
  { name: "einsum iij->j with a broadcast i,j->ij outer", fn: (a, b) => st.einsum("iij,j->ij", a, b), inputs: () => [r([3, 3, 2], 161), r([2], 162)], smooth: true },
];

const matrixRows: OpRow[] = [
  { name: "mm", fn: (a, b) => a.mm(b), inputs: () => [r([3, 4], 163), r([4, 2], 164)], smooth: true, forward: naiveMatmul },
  { name: "bmm", fn: (a, b) => st.bmm(a, b), inputs: () => [r([2, 3, 4], 165), r([2, 4, 2], 166)], smooth: true },
  { name: "addmm beta 0.5 alpha 2", fn: (c, a, b) => c.addmm(a, b, { beta: 0.5, alpha: 2 }), inputs: () => [r([2], 167), r([3, 4], 168), r([4, 2], 169)], smooth: true },
  { name: "baddbmm", fn: (c, a, b) => st.baddbmm(c, a, b, { beta: 2 }), inputs: () => [r([1, 3, 2], 170), r([2, 3, 4], 171), r([2, 4, 2], 172)], smooth: true },
  { name: "diag vector → matrix, offset 1", fn: (x) => x.diag(1), inputs: () => [r([3], 173)], smooth: true },
  { name: "diag matrix → vector, offset −1", fn: (x) => st.diag(x, -1), inputs: () => [r([3, 4], 174)], smooth: true },
  { name: "diagonal offset 1 dims (2, 0)", fn: (x) => x.diagonal(1, 2, 0), inputs: () => [r([3, 2, 4], 175)], smooth: true },
  { name: "trace", fn: (x) => x.trace(), inputs: () => [r([3, 3], 176)], smooth: true },
];

const shapeRows: OpRow[] = [
  { name: "flip dims [0, 2]", fn: (x) => x.flip([0, 2]), inputs: () => [r([2, 3, 4], 177)], smooth: true },
  { name: "roll shifts [1, −2] dims [0, 1]", fn: (x) => x.roll([1, -2], [0, 1]).square(), inputs: () => [r([3, 4], 178)], smooth: true },
  { name: "roll without dims", fn: (x) => st.roll(x, 2), inputs: () => [r([2, 3], 179)], smooth: true },
  { name: "select(1, −1)", fn: (x) => x.select(1, -1).exp(), inputs: () => [r([2, 3, 4], 180)], smooth: true },
  { name: "expandAs", fn: (x, y) => x.expandAs(y).mul(y), inputs: () => [r([3, 1], 181), r([2, 3, 4], 182)], smooth: true },
  { name: "maskedSelect (broadcast mask)", fn: (x) => x.maskedSelect(st.tensor([true, false, true])).square(), inputs: () => [r([2, 3], 183)], smooth: true },
  { name: "meshgrid xy", fn: (a, b) => st.meshgrid([a, b], { indexing: "xy" }).map((t) => t.square()), inputs: () => [r([2], 184), r([3], 185)], smooth: true },
];

/** Every toolbox row. */
export const TOOLBOX_ROWS: OpRow[] = [...elementRows, ...cumulativeRows, ...orderRows, ...scatterRows, ...einsumRows, ...matrixRows, ...shapeRows];
