// Backward rows of the toolbox primitives (issue 15), spread into THE backward table
// (gradients.ts). Each rule is math over tensor ops, so gradients of gradients work; cumprod's
// rule uses its exact O(n) kernel unless the backward itself is being recorded (createGraph), where
// an O(n²) composite keeps it differentiable.

import { ones, tensor, zeros } from "../core/creation.js";
import { isGradEnabled } from "../core/grad-mode.js";
import type { Tensor } from "../core/tensor.js";
import type { GradientConfig } from "./gradients.js";
import { cumprod, cumprodBackwardKernel, cumsumAlong } from "./cumulative.js";
import * as E from "./elementwise.js";
import { gather, scatterAdd } from "./indexing.js";
import { sum } from "./reduce.js";
import { scatterReduce } from "./scatter.js";
import { cat, narrow, permute, unsqueeze } from "./shape.js";
import * as T from "./trig.js";

type ToolboxOp =
  | "tan" | "asin" | "acos" | "atan" | "sinh" | "cosh" | "asinh" | "acosh" | "atanh" | "log2" | "log10" | "exp2" | "erfinv"
  | "atan2" | "remainder" | "fmod" | "hypot" | "cumsum" | "cumprod" | "scatterReduce";

const LN2 = Math.LN2;
const LN10 = Math.LN10;

/** Moves `axis` last (and back): cumprod's differentiable gradient works on the last dim. */
function toLast(x: Tensor, axis: number): { t: Tensor; back: (y: Tensor) => Tensor } {
  const perm = x.shape.map((_, i) => i).filter((i) => i !== axis).concat([axis]);
  const inv = perm.map((_, i) => perm.indexOf(i));
  return { t: permute(x, perm), back: (y) => permute(y, inv) };
}

/**
 * cumprod's gradient as tensor ops (for createGraph), exact with zeros and without division:
 * dx_k = P_{k−1}·S_k with P_{k−1} = Π_{j<k} x_j (an exclusive cumprod) and
 * S_k = Σ_{i≥k} g_i·R[k, i], R[k, i] = Π_{k<j≤i} x_j — each row of R one cumprod over a masked
 * copy of x. O(n²) per lane of length n, so it runs only when the backward itself is recorded.
 */
function cumprodGradDifferentiable(g: Tensor, x: Tensor, axis: number): Tensor {
  const n = x.shape[axis]!;
  if (n === 0) return E.mul(x, 0);
  const { t: xl, back } = toLast(x, axis);
  const gl = toLast(g, axis).t;
  const after = new Uint8Array(n * n); // [k, j]: j > k
  const upper = new Uint8Array(n * n); // [k, i]: i >= k
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < n; j++) {
      after[k * n + j] = j > k ? 1 : 0;
      upper[k * n + j] = j >= k ? 1 : 0;
    }
  }
  const afterT = tensor(after, { shape: [n, n], dtype: "bool" });
  const upperT = tensor(upper, { shape: [n, n], dtype: "bool" });
  const R = cumprod(E.where(afterT, unsqueeze(xl, -2), 1), -1); // [..., k, i]
  const S = sum(E.where(upperT, E.mul(unsqueeze(gl, -2), R), 0), -1); // [..., k]
  // exclusive prefix products: 1, x_0, x_0·x_1, … (x shifted right by one along the lane)
  const shifted = cat([E.add(E.mul(narrow(xl, -1, 0, 1), 0), 1), narrow(xl, -1, 0, n - 1)], -1);
  return back(E.mul(cumprod(shifted, -1), S));
}

/** Σ of the upstream gradient spread over duplicates: g/count at each scattered position. */
function scatterReduceBackward(
  g: Tensor, [base, index, src, out]: Tensor[], a: { dim: number; reduce: string; includeSelf: boolean }, needs: boolean[],
): (Tensor | null)[] {
  const { dim, reduce, includeSelf } = a;
  const x = base!, idx = index!, s = src!, y = out!;
  // constant zeros/ones (not x·0, which is NaN where x is): how often each position is written
  const zero = zeros(x.shape, { dtype: x.dtype });
  const written = scatterAdd(zero, dim, idx, ones(idx.shape, { dtype: x.dtype }));
  const hit = E.gt(written, 0);
  if (reduce === "sum") {
    return [needs[0] ? (includeSelf ? g : E.where(hit, 0, g)) : null, null, needs[2] ? gather(g, dim, idx) : null];
  }
  if (reduce === "assign") {
    return [needs[0] ? E.where(hit, 0, g) : null, null, needs[2] ? gather(g, dim, idx) : null];
  }
  if (reduce === "mean") {
    const count = E.add(written, includeSelf ? 1 : 0);
    const gm = E.where(hit, E.div(g, E.maximum(count, 1)), g);
    return [needs[0] ? (includeSelf ? gm : E.where(hit, 0, g)) : null, null, needs[2] ? gather(gm, dim, idx) : null];
  }
  if (reduce === "amax" || reduce === "amin") {
    // ties share the gradient equally (PyTorch): count the entries equal to the result
    const selfEq = includeSelf ? E.logicalAnd(hit, E.eq(x, y)) : null;
    const srcEq = E.eq(s, gather(y, dim, idx));
    let count = scatterAdd(zero, dim, idx, E.cast(srcEq, x.dtype));
    if (selfEq) count = E.add(count, E.cast(selfEq, x.dtype));
    const gShare = E.div(g, E.maximum(count, 1));
    return [
      needs[0] ? (selfEq ? E.where(hit, E.where(selfEq, gShare, 0), g) : E.where(hit, 0, g)) : null,
      null,
      needs[2] ? E.where(srcEq, gather(gShare, dim, idx), 0) : null,
    ];
  }
  // prod: each entry's gradient is g times the product of the other entries of its group, exact
  // with zeros: the product of the nonzero entries, divided by the entry when it is nonzero and
  // no other entry is zero, itself when it is the group's only zero, 0 otherwise
  const nz = (t: Tensor) => E.where(E.eq(t, 0), 1, t);
  const prodNZ = scatterReduce(includeSelf ? nz(x) : ones(x.shape, { dtype: x.dtype }), dim, idx, nz(s), "prod", true);
  const zeroCount = scatterAdd(includeSelf ? E.cast(E.eq(x, 0), x.dtype) : zero, dim, idx, E.cast(E.eq(s, 0), x.dtype));
  const others = (v: Tensor, pn: Tensor, z: Tensor) =>
    E.where(E.eq(v, 0), E.where(E.eq(z, 1), pn, 0), E.where(E.eq(z, 0), E.div(pn, nz(v)), 0));
  return [
    needs[0] ? (includeSelf ? E.where(hit, E.mul(g, others(x, prodNZ, zeroCount)), g) : E.where(hit, 0, g)) : null,
    null,
    needs[2] ? E.mul(gather(g, dim, idx), others(s, gather(prodNZ, dim, idx), gather(zeroCount, dim, idx))) : null,
  ];
}

const in0 = (rule: (g: Tensor, x: Tensor) => Tensor) => ({ inputs: [0] as const, rule: (g: Tensor, [x]: Tensor[]) => [rule(g, x!)] });
const out0 = (rule: (g: Tensor, y: Tensor) => Tensor) => ({ outputs: [0] as const, rule: (g: Tensor, [y]: Tensor[]) => [rule(g, y!)] });

export const TOOLBOX_GRADIENTS: { [O in ToolboxOp]: GradientConfig<O> } = {
  // d tan = 1 + tan²
  tan: out0((g, y) => E.mul(g, E.add(E.square(y), 1))),
  asin: in0((g, x) => E.mul(g, E.rsqrt(E.sub(1, E.square(x))))),
  acos: in0((g, x) => E.neg(E.mul(g, E.rsqrt(E.sub(1, E.square(x)))))),
  atan: in0((g, x) => E.div(g, E.add(E.square(x), 1))),
  sinh: in0((g, x) => E.mul(g, T.cosh(x))),
  cosh: in0((g, x) => E.mul(g, T.sinh(x))),
  asinh: in0((g, x) => E.mul(g, E.rsqrt(E.add(E.square(x), 1)))),
  acosh: in0((g, x) => E.mul(g, E.rsqrt(E.sub(E.square(x), 1)))),
  atanh: in0((g, x) => E.div(g, E.sub(1, E.square(x)))),
  log2: in0((g, x) => E.div(g, E.mul(x, LN2))),
  log10: in0((g, x) => E.div(g, E.mul(x, LN10))),
  exp2: out0((g, y) => E.mul(g, E.mul(y, LN2))),
  erfinv: out0((g, y) => E.mul(g, E.mul(E.exp(E.square(y)), Math.sqrt(Math.PI) / 2))),
  // inputs [y, x]: ∂/∂y = x/(x² + y²), ∂/∂x = −y/(x² + y²)
  atan2: {
    inputs: [0, 1],
    rule: (g, [y, x], _a, _n, needs) => {
      const r2 = E.add(E.square(y!), E.square(x!));
      return [needs[0] ? E.div(E.mul(g, x!), r2) : null, needs[1] ? E.neg(E.div(E.mul(g, y!), r2)) : null];
    },
  },
  remainder: {
    inputs: [0, 1],
    rule: (g, [a, b], _a, _n, needs) => [needs[0] ? g : null, needs[1] ? E.mul(g, T.quotientGrad(a!, b!, false)) : null],
  },
  fmod: {
    inputs: [0, 1],
    rule: (g, [a, b], _a, _n, needs) => [needs[0] ? g : null, needs[1] ? E.mul(g, T.quotientGrad(a!, b!, true)) : null],
  },
  hypot: {
    inputs: [0, 1],
    outputs: [0],
    rule: (g, [a, b, h], _a, _n, needs) => [needs[0] ? E.mul(g, E.div(a!, h!)) : null, needs[1] ? E.mul(g, E.div(b!, h!)) : null],
  },
  // the gradient of a running sum is the running sum the other way
  cumsum: { rule: (g, _s, a) => [cumsumAlong(g, a.axis, !a.reverse)] },
  cumprod: {
    inputs: [0],
    rule: (g, [x], a) => [isGradEnabled() ? cumprodGradDifferentiable(g, x!, a.axis) : cumprodBackwardKernel(x!, g, a.axis)],
  },
  // inputs [base, index, src], output [out]
  scatterReduce: { inputs: [0, 1, 2], outputs: [0], rule: (g, s, a, _n, needs) => scatterReduceBackward(g, s, a, needs) },
};
